// A worker started by the local provider joins a real manager: the provider's environment
// (SPOTFARM_JOIN_TOKEN, SPOTFARM_INSTANCE_ID) is what `spotfarm worker` reads, so a renamed
// variable on either side fails here.
#include <thread>

#include <gtest/gtest.h>

#include "core/instance_identity.h"
#include "manager/farm.h"
#include "manager/manager_service.h"
#include "providers/local_provider.h"
#include "run_spotfarm.h"
#include "support/scratch_dir.h"

namespace spotfarm::testing {
namespace {

using namespace std::chrono_literals;

TEST(ProviderWorker, LocalProviderWorkerRegistersWithItsInstanceTag) {
    test::ScratchDir dir;
    auto service = manager::ManagerService::open({.state_dir = dir / "manager", .port = 0});
    ASSERT_TRUE(service) << service.error().message;
    ASSERT_TRUE((*service)->start());

    auto options = providers::local_worker_options(
        SPOTFARM_EXE, (*service)->url(), (*service)->tokens().worker_join,
        {"--blender", SPOTFARM_TEST_DATA "/fake_blender.py", "--claim-wait", "1", "--state-dir",
         (dir / "workers" / "{id}").string()});
    options.log_dir = dir / "logs";
    options.stop_grace = 10s;
    providers::LocalProvider provider(util::steady_clock(), options);
    auto started = provider.start_workers({.count = 1});
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_EQ(started->started.size(), 1u);
    const std::string id = started->started[0].id;

    std::optional<std::string> seen;
    for (auto until = std::chrono::steady_clock::now() + 30s;
         !seen && std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(100ms)) {
        seen = (*service)->with_farm([](manager::Farm& farm) -> std::optional<std::string> {
            for (const auto& worker : farm.list_workers())
                if (auto instance = core::instance_from_tags(worker.info.tags)) return instance;
            return std::nullopt;
        });
    }
    ASSERT_TRUE(seen.has_value()) << "the worker never registered; its log: "
                                  << read_whole(dir / "logs" / (id + ".log"));
    EXPECT_EQ(*seen, id);
    EXPECT_TRUE(provider.stop_all());
}

}  // namespace
}  // namespace spotfarm::testing
