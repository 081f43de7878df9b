// The real worker loop (ManagerClient over libcurl, outbox, drain) against the real manager, with
// a renderer whose frames end at once: both sides of docs/protocol.md agree.
#include <atomic>
#include <thread>

#include "manager/routes_fixture.h"
#include "worker/fakes.h"
#include "worker/manager_client.h"
#include "worker/outbox.h"
#include "worker/worker_loop.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;

TEST_F(RoutesTest, TheWorkerLoopRendersAJobToTheEndAndLeavesCleanly) {
    util::FakeClock render_clock;
    worker::testing::FakeRenderer renderer(render_clock);
    renderer.default_seconds = 1;
    auto outbox = worker::Outbox::open(dir.path() / "outbox");
    ASSERT_TRUE(outbox) << outbox.error().message;
    worker::ManagerClient client(http, {.base_url = manager->url(), .join_token = join()});
    std::atomic<int> signals{0};
    worker::SignalAwareSleeper sleeper(&signals);
    worker::WorkerConfig config;
    config.info = protocol::RegisterRequest{"loop", "host", 2, 1024, {}, "4.2.0", {}};
    config.manager = client.api_root();
    config.state_dir = dir.path() / "worker";
    config.claim_wait = 1s;
    worker::WorkerLoop loop(config, {.manager = client,
                                     .renderer = renderer,
                                     .outbox = **outbox,
                                     .clock = util::steady_clock(),
                                     .sleeper = sleeper,
                                     .signals = &signals});
    std::int64_t job = submit("1-6", 2);

    util::Status result;
    std::thread running([&] { result = loop.run(); });
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (job_status(job) != "completed" && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(50ms);
    }
    ++signals;
    running.join();

    EXPECT_TRUE(result) << result.error().message;
    EXPECT_EQ(job_status(job), "completed");
    EXPECT_EQ(loop.summary().tasks_completed, 3);
    EXPECT_EQ(loop.summary().reports_refused, 0);
    auto workers = get("/workers", people());
    ASSERT_EQ(workers.body["workers"].size(), 1u);
    EXPECT_EQ(workers.body["workers"][0]["status"], "offline");
    EXPECT_EQ(workers.body["workers"][0]["memory_bytes"], 1024LL * 1024 * 1024);
}

}  // namespace
}  // namespace spotfarm::manager
