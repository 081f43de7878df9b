#include "worker/worker_loop.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

#include "util/utf8.h"
#include "worker/fakes.h"
#include "worker/saved_identity.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;
using namespace testing;
using protocol::LeaveReason;

std::vector<int> frames_of(const std::vector<protocol::FrameReport>& results) {
    std::vector<int> frames;
    for (const auto& r : results) frames.push_back(r.frame);
    return frames;
}

protocol::Assignment task(std::int64_t id, std::int64_t job, std::vector<int> frames) {
    protocol::Assignment a;
    a.task_id = id;
    a.job_id = job;
    a.frames = core::FrameSet::from_frames(std::move(frames));
    a.job.scene = "/scenes/shot.blend";
    a.job.output = "/out/frame_####";
    return a;
}

class WorkerLoopTest : public ::testing::Test {
protected:
    void SetUp() override {
        open_outbox();
        manager.on_idle = [this] { ++signals; };  // out of work: stop, as a SIGTERM would
        config.info =
            protocol::RegisterRequest{"w1", "host1", 4, 8192, {"CUDA"}, "4.2.0", {"fast"}};
        config.manager = "http://manager:8080/api/v1";
        config.state_dir = dir;
        config.seed = 7;
    }
    void open_outbox() {
        outbox.reset();
        auto opened = Outbox::open(dir / "outbox");
        ASSERT_TRUE(opened) << opened.error().message;
        outbox = std::move(opened).value();
    }
    util::Status run(bool watch = false) {
        WorkerLoop loop(config, WorkerServices{manager, renderer, *outbox, clock, sleeper,
                                               watch ? &watcher : nullptr, &signals});
        util::Status status = loop.run();
        summary = loop.summary();
        return status;
    }
    std::size_t files_in(const fs::path& folder) {
        std::size_t n = 0;
        for (const auto& e : fs::directory_iterator(folder)) n += e.path().extension() == ".json";
        return n;
    }

    test::ScratchDir scratch;
    const fs::path& dir = scratch.path();
    util::FakeClock clock;
    FakeManager manager{clock};
    FakeRenderer renderer{clock};
    FakeSleeper sleeper{clock};
    FakeWatcher watcher;
    std::atomic<int> signals{0};
    std::unique_ptr<Outbox> outbox;
    WorkerConfig config;
    WorkerSummary summary;
};

TEST_F(WorkerLoopTest, HappyPathRendersReportsAndSignsOff) {
    manager.queue = {task(1, 7, {1, 2}), task(2, 7, {3, 4})};

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    ASSERT_EQ(manager.registrations.size(), 1u);
    EXPECT_EQ(manager.registrations[0].name, "w1");
    EXPECT_EQ(manager.registrations[0].cores, 4);
    EXPECT_EQ(manager.registrations[0].tags, std::vector<std::string>{"fast"});
    ASSERT_EQ(manager.completes.size(), 2u);
    EXPECT_EQ(frames_of(manager.completes[0].frames), (std::vector<int>{1, 2}));
    EXPECT_EQ(frames_of(manager.completes[1].frames), (std::vector<int>{3, 4}));
    EXPECT_EQ(manager.completes[0].frames[0].output, "/out/frame_0001.png");
    EXPECT_EQ(manager.frames_recorded, (std::map<int, int>{{1, 1}, {2, 1}, {3, 1}, {4, 1}}));
    EXPECT_TRUE(manager.fails.empty());
    EXPECT_TRUE(manager.releases.empty());
    // The second claim asks for more of the job whose scene the renderer holds.
    ASSERT_GE(manager.claims.size(), 2u);
    EXPECT_FALSE(manager.claims[0].warm_job_id.has_value());
    EXPECT_EQ(manager.claims[1].warm_job_id, std::optional<std::int64_t>(7));
    ASSERT_EQ(manager.drains.size(), 1u);
    EXPECT_EQ(manager.drains[0].reason, LeaveReason::shutdown);
    EXPECT_TRUE(manager.drains[0].return_tasks);
    ASSERT_EQ(manager.sign_offs.size(), 1u);
    EXPECT_EQ(manager.calls.back(), "sign-off");
    EXPECT_EQ(summary.tasks_completed, 2);
    EXPECT_TRUE(outbox->empty());
    EXPECT_EQ(files_in(dir / "outbox"), 0u);
    EXPECT_FALSE(fs::exists(dir / "registration.json"));  // signed off: forgotten
}

TEST_F(WorkerLoopTest, ARefusingWorkerSaysSoAndFailsAScriptJobWithoutRenderingIt) {
    config.refuse_scripts = true;
    protocol::Assignment scripted = task(1, 7, {1, 2});
    scripted.job.allow_scripts = true;
    // The fake manager ignores what the claim says, as a manager that predates it would.
    manager.queue = {scripted, task(2, 8, {3})};

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    ASSERT_GE(manager.claims.size(), 2u);
    for (const auto& claim : manager.claims) EXPECT_TRUE(claim.refuse_scripts);
    EXPECT_EQ(renderer.frames_started, std::vector<int>{3});
    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_NE(manager.fails[0].error.find("--refuse-scripts"), std::string::npos);
    EXPECT_TRUE(manager.fails[0].frames.empty());
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(summary.tasks_failed, 1);
}

TEST_F(WorkerLoopTest, AWorkerThatTakesScriptsDoesNotSayItRefuses) {
    protocol::Assignment scripted = task(1, 7, {1});
    scripted.job.allow_scripts = true;
    manager.queue = {scripted};
    ASSERT_TRUE(run());
    ASSERT_FALSE(manager.claims.empty());
    EXPECT_FALSE(manager.claims[0].refuse_scripts);
    EXPECT_EQ(renderer.frames_started, std::vector<int>{1});
}

TEST_F(WorkerLoopTest, HeartbeatsComeWellInsideTheLease) {
    manager.queue = {task(1, 7, {1, 2, 3})};
    renderer.default_seconds = 25;  // 75 s of work against a 30 s lease
    const auto start = clock.now();

    ASSERT_TRUE(run());

    auto& calls = manager.progress_calls;
    ASSERT_GE(calls.size(), 7u);
    EXPECT_LE(calls.front().first - start, 10s);
    for (std::size_t i = 1; i < calls.size(); ++i) {
        EXPECT_LE(calls[i].first - calls[i - 1].first, 10s) << "between heartbeats " << i;
    }
    EXPECT_EQ(calls.front().second.attempt_id, manager.completes.at(0).attempt_id);
    EXPECT_EQ(calls.front().second.frame, 1);
    EXPECT_EQ(calls.front().second.sample, 40);  // 10 of 25 s
    EXPECT_EQ(calls.front().second.samples_total, 100);
    EXPECT_NE(calls.front().second.log.find("Fra:1 Sample"), std::string::npos);
    EXPECT_EQ(calls.back().second.frame, 3);
    // The log goes out once: the second report holds only what came after the first.
    EXPECT_EQ(calls[1].second.log.find("Sample 40\n"), std::string::npos);
}

TEST_F(WorkerLoopTest, BlenderOutputThatIsNotUtf8ReachesTheManagerAsUtf8) {
    // A stray Latin-1 byte, and enough emoji for the 64 KiB log cap to fall inside one.
    std::string emoji;
    for (int i = 0; i < 5000; ++i) emoji += "\xF0\x9F\x98\x80";
    renderer.log_text = "caf\xE9 " + emoji + "\n";
    renderer.failing_frame = 2;
    manager.queue = {task(1, 7, {1, 2}), task(2, 7, {3})};

    ASSERT_TRUE(run());

    ASSERT_FALSE(manager.progress_calls.empty());
    bool cut = false;
    for (const auto& [when, report] : manager.progress_calls) {
        EXPECT_TRUE(util::is_valid_utf8(report.log));
        EXPECT_LE(report.log.size(), 64u * 1024);
        cut = cut || report.log.find("Fra:") != 0;
    }
    EXPECT_TRUE(cut) << "no log was long enough to be cut";
    EXPECT_NE(manager.progress_calls[0].second.log.find("caf\xEF\xBF\xBD "), std::string::npos);
    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_TRUE(util::is_valid_utf8(manager.fails[0].log_tail));
    EXPECT_NE(manager.fails[0].log_tail.find("caf\xEF\xBF\xBD "), std::string::npos);
    // The worker went on to the next task.
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(frames_of(manager.completes[0].frames), (std::vector<int>{3}));
}

TEST_F(WorkerLoopTest, StopAnswerStopsTheRenderAtOnceAndReportsNothing) {
    manager.queue = {task(1, 7, {1, 2}), task(2, 7, {3})};
    renderer.default_seconds = 30;
    std::int64_t stopped_attempt = 0;
    manager.progress_action = [&](const protocol::ProgressReport& r) {
        if (stopped_attempt == 0) stopped_attempt = r.attempt_id;
        return r.attempt_id == stopped_attempt ? protocol::ProgressAction::stop
                                               : protocol::ProgressAction::keep_going;
    };

    ASSERT_TRUE(run());

    ASSERT_EQ(renderer.stops.size(), 1u);
    EXPECT_EQ(renderer.stops[0], manager.progress_calls.at(0).first);  // the same tick
    EXPECT_EQ(renderer.frames_started, (std::vector<int>{1, 3}));
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(frames_of(manager.completes[0].frames), std::vector<int>{3});
    EXPECT_TRUE(manager.fails.empty());
    EXPECT_TRUE(manager.releases.empty());
    EXPECT_EQ(summary.tasks_dropped, 1);
}

TEST_F(WorkerLoopTest, DrainMidFrameWithEnoughGraceFinishesTheFrameAndGivesBackTheRest) {
    manager.queue = {task(1, 7, {1, 2, 3, 4})};
    config.drain_grace = 20s;
    config.report_margin = 5s;
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && second == 6) ++signals;  // 4 s of the frame left, 15 s to use
    };

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(renderer.frames_started, (std::vector<int>{1, 2}));
    EXPECT_EQ(renderer.frames_finished, (std::vector<int>{1, 2}));
    EXPECT_TRUE(manager.completes.empty());
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_EQ(frames_of(manager.releases[0].frames), (std::vector<int>{1, 2}));
    EXPECT_EQ(manager.releases[0].reason, LeaveReason::shutdown);
    // Given back, then drained, then signed off; nothing claimed after the signal.
    std::vector<std::string> tail(manager.calls.end() - 3, manager.calls.end());
    EXPECT_EQ(tail, (std::vector<std::string>{"release", "drain", "sign-off"}));
    EXPECT_EQ(manager.claims.size(), 1u);
    EXPECT_EQ(summary.tasks_released, 1);
}

TEST_F(WorkerLoopTest, DrainMidFrameWithoutEnoughGraceStopsTheFrameAtOnce) {
    manager.queue = {task(1, 7, {1, 2, 3})};
    renderer.default_seconds = 30;
    config.drain_grace = 10s;
    config.report_margin = 5s;
    util::Clock::time_point signaled{};
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && second == 3) {
            ++signals;  // 27 s of the frame left, 5 s to use
            signaled = clock.now();
        }
    };

    ASSERT_TRUE(run());

    ASSERT_EQ(renderer.stops.size(), 1u);
    EXPECT_EQ(renderer.stops[0], signaled);
    EXPECT_EQ(renderer.frames_finished, std::vector<int>{1});
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_EQ(frames_of(manager.releases[0].frames), std::vector<int>{1});
    EXPECT_EQ(manager.drains.size(), 1u);
    EXPECT_EQ(manager.sign_offs.size(), 1u);
}

TEST_F(WorkerLoopTest, FrameThatOverrunsItsWindowIsStoppedAtTheWindowsEnd) {
    manager.queue = {task(1, 7, {1, 2})};
    renderer.default_seconds = 10;
    renderer.frame_seconds[2] = 60;  // looks short at first: no samples reported
    renderer.samples_total = 0;
    config.drain_grace = 20s;
    config.report_margin = 5s;
    util::Clock::time_point signaled{};
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && second == 2) {
            ++signals;  // judged by frame 1 (10 s): fits; it does not
            signaled = clock.now();
        }
    };

    ASSERT_TRUE(run());

    ASSERT_EQ(renderer.stops.size(), 1u);
    EXPECT_LE(renderer.stops[0] - signaled, 15s);
    EXPECT_EQ(renderer.frames_finished, std::vector<int>{1});
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_EQ(frames_of(manager.releases[0].frames), std::vector<int>{1});
}

TEST_F(WorkerLoopTest, SecondSignalAbandonsTheFrameBeingFinished) {
    manager.queue = {task(1, 7, {1, 2})};
    renderer.default_seconds = 30;
    config.drain_grace = 60s;
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && (second == 3 || second == 5)) ++signals;
    };

    ASSERT_TRUE(run());

    ASSERT_EQ(renderer.stops.size(), 1u);
    EXPECT_EQ(renderer.frames_finished, std::vector<int>{1});
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_EQ(frames_of(manager.releases[0].frames), std::vector<int>{1});
}

TEST_F(WorkerLoopTest, SpotInterruptionNoticeLetsAFrameThatFitsFinish) {
    manager.queue = {task(1, 7, {1, 2, 3})};
    renderer.default_seconds = 30;
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && second == 10) {
            watcher.notice = {InterruptionNotice::Kind::interruption, clock.wall_now() + 120s};
        }
    };

    auto status = run(true);

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(renderer.frames_started, (std::vector<int>{1, 2}));
    EXPECT_TRUE(renderer.stops.empty());
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_EQ(frames_of(manager.releases[0].frames), (std::vector<int>{1, 2}));
    EXPECT_EQ(manager.releases[0].reason, LeaveReason::spot_interruption);
    ASSERT_EQ(manager.drains.size(), 1u);
    EXPECT_EQ(manager.drains[0].reason, LeaveReason::spot_interruption);
    ASSERT_EQ(manager.sign_offs.size(), 1u);
    EXPECT_EQ(manager.sign_offs[0].reason, LeaveReason::spot_interruption);
    EXPECT_EQ(manager.claims.size(), 1u);
}

TEST_F(WorkerLoopTest, SpotInterruptionNoticeStopsAFrameThatCannotFinish) {
    manager.queue = {task(1, 7, {1, 2})};
    renderer.default_seconds = 200;
    util::Clock::time_point noticed{};
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 1 && second == 20) {
            watcher.notice = {InterruptionNotice::Kind::interruption, clock.wall_now() + 120s};
            noticed = clock.now();
        }
    };

    ASSERT_TRUE(run(true));

    ASSERT_EQ(renderer.stops.size(), 1u);
    EXPECT_LE(renderer.stops[0] - noticed, watcher.interval());
    EXPECT_TRUE(renderer.frames_finished.empty());
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_TRUE(manager.releases[0].frames.empty());
    EXPECT_EQ(manager.releases[0].reason, LeaveReason::spot_interruption);
    EXPECT_EQ(manager.sign_offs.size(), 1u);
}

TEST_F(WorkerLoopTest, RebalanceHintFinishesTheFrameThenLeaves) {
    manager.queue = {task(1, 7, {1, 2, 3})};
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 1 && second == 3) watcher.notice = {InterruptionNotice::Kind::rebalance, {}};
    };

    ASSERT_TRUE(run(true));

    EXPECT_EQ(renderer.frames_started, std::vector<int>{1});
    EXPECT_EQ(renderer.frames_finished, std::vector<int>{1});
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_EQ(frames_of(manager.releases[0].frames), std::vector<int>{1});
    EXPECT_EQ(manager.releases[0].reason, LeaveReason::rebalance);
    ASSERT_EQ(manager.sign_offs.size(), 1u);
    EXPECT_EQ(manager.sign_offs[0].reason, LeaveReason::rebalance);
}

TEST_F(WorkerLoopTest, InterruptionWhileIdleLeavesWithoutClaimingAgain) {
    manager.on_idle = [&] {
        watcher.notice = {InterruptionNotice::Kind::interruption, clock.wall_now() + 120s};
    };

    ASSERT_TRUE(run(true));

    EXPECT_EQ(manager.claims.size(), 1u);
    // With a watcher, a long poll never outlasts two of its intervals.
    EXPECT_EQ(manager.claim_waits.at(0), 2 * watcher.interval());
    ASSERT_EQ(manager.drains.size(), 1u);
    EXPECT_EQ(manager.drains[0].reason, LeaveReason::spot_interruption);
    EXPECT_EQ(manager.sign_offs.size(), 1u);
}

TEST_F(WorkerLoopTest, TaskClaimedAsTheStopCameIsGivenBackUnrendered) {
    manager.queue = {task(1, 7, {1, 2})};
    manager.on_claim = [&] { ++signals; };

    ASSERT_TRUE(run());

    EXPECT_TRUE(renderer.frames_started.empty());
    ASSERT_EQ(manager.releases.size(), 1u);
    EXPECT_TRUE(manager.releases[0].frames.empty());
    EXPECT_EQ(manager.sign_offs.size(), 1u);
}

TEST_F(WorkerLoopTest, ManagerDownThenBackDeliversTheOutboxOnce) {
    manager.queue = {task(1, 7, {1, 2}), task(2, 7, {3})};
    util::Clock::time_point down_at{};
    bool kept_on_disk_while_down = false;
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 1 && second == 2 && manager.up && down_at == util::Clock::time_point{}) {
            manager.up = false;
            down_at = clock.now();
        }
    };
    sleeper.on_sleep = [&] {
        if (!manager.up && outbox->pending().size() == 1 && files_in(dir / "outbox") == 1) {
            kept_on_disk_while_down = true;
        }
        if (!manager.up && clock.now() - down_at >= 5min) manager.up = true;
    };

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(kept_on_disk_while_down);
    ASSERT_EQ(manager.completes.size(), 2u);
    EXPECT_EQ(frames_of(manager.completes[0].frames), (std::vector<int>{1, 2}));
    EXPECT_EQ(manager.frames_recorded, (std::map<int, int>{{1, 1}, {2, 1}, {3, 1}}));
    EXPECT_TRUE(outbox->empty());
    EXPECT_EQ(files_in(dir / "outbox"), 0u);
    // Full jitter under an exponential ceiling: never past the cap, and the ceiling grows.
    ASSERT_GE(sleeper.sleeps.size(), 5u);
    EXPECT_LE(*std::max_element(sleeper.sleeps.begin(), sleeper.sleeps.end()), config.backoff_cap);
    EXPECT_GT(*std::max_element(sleeper.sleeps.begin(), sleeper.sleeps.end()), config.backoff_base);
}

TEST_F(WorkerLoopTest, ReportWhoseAnswerWasLostIsSentAgainButCountedOnce) {
    manager.queue = {task(1, 7, {1, 2})};
    manager.lose_complete_answers = 1;

    ASSERT_TRUE(run());

    ASSERT_EQ(manager.completes.size(), 2u);
    EXPECT_EQ(manager.completes[0].attempt_id, manager.completes[1].attempt_id);
    EXPECT_EQ(manager.frames_counted_more_than_once(), 0);
    EXPECT_EQ(manager.frames_recorded, (std::map<int, int>{{1, 1}, {2, 1}}));
    EXPECT_TRUE(outbox->empty());
}

TEST_F(WorkerLoopTest, OutboxSurvivesARestartAndIsDeliveredByTheSameWorker) {
    manager.queue = {task(1, 7, {1, 2})};
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && second == 9) {
            manager.up = false;
            ++signals;
        }
    };

    auto first = run();

    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(first.error().message.find((dir / "outbox").string()), std::string::npos);
    EXPECT_EQ(files_in(dir / "outbox"), 1u);
    ASSERT_TRUE(fs::exists(dir / "registration.json"));
    EXPECT_EQ(fs::status(dir / "registration.json").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_TRUE(manager.completes.empty());

    // The process starts again on the same state folder, the manager is back.
    manager.up = true;
    signals = 0;
    open_outbox();
    ASSERT_EQ(outbox->pending().size(), 1u);
    auto second = run();

    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(manager.registrations.size(), 1u);  // the same worker, resumed
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(manager.frames_recorded, (std::map<int, int>{{1, 1}, {2, 1}}));
    EXPECT_EQ(files_in(dir / "outbox"), 0u);
}

TEST_F(WorkerLoopTest, RefusedSavedRegistrationRegistersAnewAndSetsOldReportsAside) {
    ASSERT_TRUE(save_identity(dir, {config.manager, protocol::Registration{99, "old", 30, 10}}));
    ASSERT_TRUE(outbox->add(5, protocol::CompleteReport{99, 500, {{1, "/out/1.png", 1, 1, {}}}}));
    manager.queue = {task(1, 7, {2})};

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(manager.registrations.size(), 1u);
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(frames_of(manager.completes[0].frames), std::vector<int>{2});
    EXPECT_EQ(summary.reports_refused, 1);
    EXPECT_EQ(files_in(dir / "outbox" / "refused"), 1u);
}

TEST_F(WorkerLoopTest, RefusedTokenStopsAtOnceWithAClearError) {
    manager.refuse_tokens = true;

    auto status = run();

    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind, util::ErrorKind::unauthorized);
    EXPECT_NE(status.error().message.find("token"), std::string::npos);
    EXPECT_TRUE(sleeper.sleeps.empty());  // not retried
    EXPECT_TRUE(manager.registrations.empty());
}

TEST_F(WorkerLoopTest, TokenRevokedMidTaskStopsTheRenderAndTheWorker) {
    manager.queue = {task(1, 7, {1, 2})};
    renderer.default_seconds = 30;
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 1 && second == 5) manager.refuse_tokens = true;
    };

    auto status = run();

    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind, util::ErrorKind::unauthorized);
    ASSERT_EQ(renderer.stops.size(), 1u);
    EXPECT_TRUE(renderer.frames_finished.empty());
}

TEST_F(WorkerLoopTest, RefusedCompleteIsSetAsideNotRetriedForever) {
    manager.queue = {task(1, 7, {1}), task(2, 7, {2})};
    manager.complete_status = 409;

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(manager.complete_calls, 2);  // once per task
    EXPECT_EQ(summary.reports_refused, 2);
    EXPECT_TRUE(outbox->empty());
    ASSERT_EQ(files_in(dir / "outbox" / "refused"), 2u);
    for (const auto& e : fs::directory_iterator(dir / "outbox" / "refused")) {
        std::ifstream in(e.path());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        EXPECT_NE(text.find("HTTP 409"), std::string::npos) << text;
    }
    EXPECT_EQ(manager.sign_offs.size(), 1u);
}

TEST_F(WorkerLoopTest, FailedFrameIsReportedWithTheFramesBeforeIt) {
    manager.queue = {task(1, 7, {1, 2, 3, 4}), task(2, 7, {5})};
    renderer.failing_frame = 3;

    ASSERT_TRUE(run());

    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_EQ(frames_of(manager.fails[0].frames), (std::vector<int>{1, 2}));
    EXPECT_NE(manager.fails[0].error.find("texture"), std::string::npos);
    EXPECT_FALSE(manager.fails[0].log_tail.empty());
    ASSERT_EQ(manager.completes.size(), 1u);  // the worker goes on with the next task
    EXPECT_EQ(summary.tasks_failed, 1);
}

TEST_F(WorkerLoopTest, IdleWorkerWhoseManagerIsGoneLeavesAtOnce) {
    // Nothing to deliver: the drain and the sign-off are tried once, not for the whole grace.
    util::Clock::time_point stopped_at{};
    manager.on_idle = [&] {
        manager.up = false;
        ++signals;
        stopped_at = clock.now();
    };

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(sleeper.sleeps.empty());
    EXPECT_EQ(clock.now(), stopped_at);
    EXPECT_TRUE(manager.drains.empty());
    EXPECT_TRUE(manager.sign_offs.empty());
}

TEST_F(WorkerLoopTest, GivesUpWhenTheManagerStaysAway) {
    manager.up = false;
    config.give_up_after = 10min;

    auto status = run();

    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(status.error().message.find("has not answered"), std::string::npos);
    util::Clock::duration slept{};
    for (auto d : sleeper.sleeps) {
        EXPECT_LE(d, config.backoff_cap);
        slept += d;
    }
    EXPECT_GE(slept, 10min - config.backoff_cap);
    EXPECT_LE(slept, 10min + config.backoff_cap);
}

TEST_F(WorkerLoopTest, StopBeforeRegisteringLeavesQuietly) {
    manager.up = false;
    sleeper.on_sleep = [&] { ++signals; };

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(manager.drains.empty());
    EXPECT_EQ(sleeper.sleeps.size(), 1u);
}

TEST_F(WorkerLoopTest, TaskItCannotReadIsFailedWithTheReasonAndTheWorkerGoesOn) {
    manager.queue = {task(1, 7, {1}), task(2, 7, {2})};
    manager.unreadable[1] = "the worker cannot take this task: frames must hold 1 to 100000";

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_EQ(manager.fails[0].error, manager.unreadable[1]);
    EXPECT_TRUE(manager.fails[0].frames.empty());
    EXPECT_EQ(renderer.frames_started, (std::vector<int>{2}));  // task 1 was never rendered
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(summary.tasks_failed, 1);
    EXPECT_EQ(summary.tasks_completed, 1);
}

}  // namespace
}  // namespace spotfarm::worker
