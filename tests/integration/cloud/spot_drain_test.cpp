// `spotfarm worker --imds-url` as a process against a real manager (in this process) and the IMDS
// stand-in: a Spot interruption notice mid-frame makes the worker give its task back at once when
// the frame cannot finish inside the notice, or finish and deliver it when it can, then sign off.
// The stand-in Blender (tests/data/fake_blender.py) renders "slow" frames of about 3 s.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "manager/farm.h"
#include "manager/manager_service.h"
#include "support/fake_imds.h"
#include "support/scratch_dir.h"
#include "util/subprocess.h"

namespace spotfarm::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class SpotDrain : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = manager::ManagerService::open({.state_dir = dir / "manager", .port = 0});
        ASSERT_TRUE(opened) << opened.error().message;
        service = std::move(opened).value();
        ASSERT_TRUE(service->start());
    }
    void TearDown() override {
        if (worker && !worker->exit_status()) worker->terminate(5s, keep_log());
    }
    util::LineHandler keep_log() {
        return [this](const std::string& line) { log += line + "\n"; };
    }

    // A job of `frames` whose frames each take about 3 s, `chunk` frames per task.
    core::JobId submit(const std::string& frames, int chunk) {
        const auto scene = dir / "scene.json";
        std::ofstream(scene) << R"({"frames": {"1": "slow", "2": "slow", "3": "slow"}})";
        core::JobSpec spec{.name = "spot",
                           .scene = scene.string(),
                           .output = (dir / "out" / "frame_####").string(),
                           .frames = frames,
                           .chunk = chunk,
                           .settings = R"({"stall_timeout_s": 60})"};
        auto id = service->with_farm([&](manager::Farm& farm) { return farm.submit(spec); });
        EXPECT_TRUE(id) << id.error().message;
        return *id;
    }
    void start_worker() {
        util::SpawnOptions spawn;
        spawn.argv = {SPOTFARM_EXE,   "worker",
                      "--manager",    service->url(),
                      "--name",       "spot-1",
                      "--state-dir",  (dir / "worker").string(),
                      "--blender",    SPOTFARM_TEST_DATA "/fake_blender.py",
                      "--claim-wait", "1",
                      "--imds-url",   imds.base_url(),
                      "--spot-poll",  "1"};
        spawn.env = {{"SPOTFARM_JOIN_TOKEN", service->tokens().worker_join}};
        auto process = util::Subprocess::spawn(spawn);
        ASSERT_TRUE(process) << process.error().message;
        worker.emplace(std::move(process).value());
    }
    std::vector<manager::TaskSummary> tasks(core::JobId job) {
        return service->with_farm([&](manager::Farm& farm) {
            auto list = farm.list_tasks(job);
            return list ? *list : std::vector<manager::TaskSummary>{};
        });
    }
    // Waits until a task of `job` renders (its worker reported a frame), reading the worker's log.
    bool wait_rendering(core::JobId job) {
        for (auto until = std::chrono::steady_clock::now() + 30s;
             std::chrono::steady_clock::now() < until;) {
            std::vector<std::string> lines;
            worker->read_output(lines);
            for (const auto& line : lines) log += line + "\n";
            if (log.find("Fra:1") != std::string::npos || log.find("frame 1") != std::string::npos)
                return true;
            for (const auto& task : tasks(job))
                if (task.progress && task.progress->frame) return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    test::ScratchDir dir;
    FakeImds imds;
    std::unique_ptr<manager::ManagerService> service;
    std::optional<util::Subprocess> worker;
    std::string log;
};

TEST_F(SpotDrain, NoticeTooShortForTheFrameGivesTheTaskBackAtOnce) {
    const auto job = submit("1-2", 2);
    start_worker();
    ASSERT_TRUE(wait_rendering(job)) << log;
    // Less than the 5 s the worker keeps for reporting: no frame can finish in time.
    imds.set_interruption("terminate", std::chrono::system_clock::now() + 3s);
    const auto noticed = std::chrono::steady_clock::now();

    auto status = worker->wait_for(20s, keep_log());
    ASSERT_TRUE(status.has_value()) << "the worker did not leave\n" << log;
    EXPECT_EQ(status->code, 0) << log;
    // Gone well before the stand-in's 6 s task would have ended.
    EXPECT_LT(std::chrono::steady_clock::now() - noticed, 5s) << log;
    EXPECT_NE(log.find("spot interruption notice"), std::string::npos) << log;
    auto after = tasks(job);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].status, core::TaskStatus::queued) << "the task is claimable again at once";
    EXPECT_FALSE(fs::exists(dir / "out" / "frame_0002.png"));
    auto workers = service->with_farm([](manager::Farm& farm) { return farm.list_workers(); });
    ASSERT_EQ(workers.size(), 1u);
    EXPECT_NE(workers[0].status, core::WorkerStatus::online) << "the worker signed off";
}

TEST_F(SpotDrain, FrameThatFitsTheNoticeFinishesAndIsDelivered) {
    const auto job = submit("1", 1);
    start_worker();
    ASSERT_TRUE(wait_rendering(job)) << log;
    imds.set_interruption("terminate", std::chrono::system_clock::now() + 120s);

    auto status = worker->wait_for(30s, keep_log());
    ASSERT_TRUE(status.has_value()) << "the worker did not leave\n" << log;
    EXPECT_EQ(status->code, 0) << log;
    EXPECT_NE(log.find("spot interruption notice"), std::string::npos) << log;
    auto after = tasks(job);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].status, core::TaskStatus::completed) << log;
    EXPECT_TRUE(fs::exists(dir / "out" / "frame_0001.png"));
    auto workers = service->with_farm([](manager::Farm& farm) { return farm.list_workers(); });
    ASSERT_EQ(workers.size(), 1u);
    EXPECT_NE(workers[0].status, core::WorkerStatus::online);
}

TEST_F(SpotDrain, NoNoticeNoDrain) {
    const auto job = submit("1", 1);
    start_worker();
    ASSERT_TRUE(wait_rendering(job)) << log;
    for (auto until = std::chrono::steady_clock::now() + 30s;
         std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(100ms)) {
        auto now = tasks(job);
        if (!now.empty() && now[0].status == core::TaskStatus::completed) break;
    }
    EXPECT_EQ(tasks(job).at(0).status, core::TaskStatus::completed);
    EXPECT_FALSE(worker->poll_exit().has_value()) << "the worker stays for more work\n" << log;
    EXPECT_GE(imds.tokens_issued(), 1) << "the worker asked the metadata service";
}

}  // namespace
}  // namespace spotfarm::testing
