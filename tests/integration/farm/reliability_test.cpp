// The farm's promises with real processes and real Blender: a killed worker, a killed manager, a
// drained worker, a frame that always fails and a canceled job each cost nothing but the frames in
// flight, and every frame ends on disk once and valid.

#include "farm_fixture.h"

namespace spotfarm::test {

// The worker whose task is active, or -1.
static long active_worker(const json& active_tasks) {
    for (const auto& task : active_tasks) {
        if (task.contains("worker") && task["worker"].is_number()) return task["worker"].get<long>();
    }
    return -1;
}

TEST_F(FarmTest, KilledWorkerLosesNothing) {
    start_manager(/*lease_seconds=*/3);
    start_worker();
    const auto job = submit("slow_cycles", "1-3");
    ASSERT_TRUE(wait_until([&] { return !tasks(job, "active").empty(); }, 60s));
    // The only worker dies mid-frame; its task comes back when the lease runs out.
    m_workers[0].signal_group(SIGKILL);
    m_workers[0].wait_for(10s);
    start_worker();
    ASSERT_TRUE(wait_until([&] { return job_status(job) == "completed"; }, 240s))
        << job(job).dump(2);
    expect_frames_on_disk({1, 2, 3});
}

TEST_F(FarmTest, KilledManagerRestartsWithoutLosingOrRepeatingFrames) {
    start_manager(/*lease_seconds=*/5);
    start_worker();
    const auto job = submit("slow_cycles", "1-4");
    ASSERT_TRUE(wait_until([&] { return job(job).value("frames_done", 0) >= 1; }, 120s));
    std::vector<std::int64_t> done_before;
    for (const auto& task : tasks(job, "completed")) done_before.push_back(task["id"]);
    ASSERT_FALSE(done_before.empty());

    kill_manager();
    std::this_thread::sleep_for(1s);
    start_manager(/*lease_seconds=*/5);
    ASSERT_TRUE(wait_until([&] { return job_status(job) == "completed"; }, 240s))
        << job(job).dump(2);
    expect_frames_on_disk({1, 2, 3, 4});
    // A frame finished before the crash was not given to anyone again.
    for (auto id : done_before) {
        auto detail = api("GET", "/tasks/" + std::to_string(id)).second;
        EXPECT_EQ(detail.value("attempts", json::array()).size(), 1u) << detail.dump(2);
    }
}

TEST_F(FarmTest, TerminatedWorkerHandsBackItsTaskAtOnce) {
    start_manager(/*lease_seconds=*/600);  // a lease that would never run out within the test
    start_worker();
    const auto job = submit("slow_cycles", "1-2");
    ASSERT_TRUE(wait_until([&] { return !tasks(job, "active").empty(); }, 60s));
    m_workers[0].signal_group(SIGTERM);
    auto ended = m_workers[0].wait_for(60s);
    ASSERT_TRUE(ended.has_value()) << "the worker did not exit after SIGTERM";
    EXPECT_EQ(ended->code, 0) << ended->describe();
    // Returned without waiting for the 600 s lease.
    EXPECT_TRUE(wait_until([&] { return tasks(job, "active").empty(); }, 10s));
    EXPECT_NE(job_status(job), "completed");
    start_worker();
    ASSERT_TRUE(wait_until([&] { return job_status(job) == "completed"; }, 240s));
    expect_frames_on_disk({1, 2});
}

TEST_F(FarmTest, FrameThatAlwaysFailsFailsAfterThreeWorkersAndTheRestComplete) {
    start_manager(/*lease_seconds=*/30);
    for (int i = 0; i < 3; ++i) start_worker();
    const auto job = submit("crash_frame_3", "1-4", /*scripts=*/true);
    ASSERT_TRUE(wait_until(
        [&] {
            auto s = job_status(job);
            return s == "failed" || s == "completed";
        },
        300s))
        << job(job).dump(2);
    auto failed = tasks(job, "failed");
    ASSERT_EQ(failed.size(), 1u) << tasks(job).dump(2);
    EXPECT_EQ(failed[0].value("frames", ""), "3");
    EXPECT_EQ(failed[0].value("failed_on", json::array()).size(), 3u) << failed[0].dump(2);
    auto detail = api("GET", "/tasks/" + failed[0]["id"].dump()).second;
    bool has_reason = false;
    for (const auto& attempt : detail.value("attempts", json::array())) {
        if (!attempt.value("error", "").empty()) has_reason = true;
    }
    EXPECT_TRUE(has_reason) << detail.dump(2);
    EXPECT_EQ(tasks(job, "completed").size(), 3u) << tasks(job).dump(2);
    expect_frames_on_disk({1, 2, 4});
}

TEST_F(FarmTest, CanceledJobStopsItsWorkersWithinSeconds) {
    start_manager(/*lease_seconds=*/30);
    start_worker();
    const auto job = submit("slow_cycles", "1-8");
    ASSERT_TRUE(wait_until([&] { return !tasks(job, "active").empty(); }, 60s));
    ASSERT_GE(active_worker(tasks(job, "active")), 0);
    auto [status, body] = api("POST", "/jobs/" + std::to_string(job) + "/cancel");
    ASSERT_EQ(status, 200) << body.dump();
    EXPECT_TRUE(wait_until([&] { return tasks(job, "active").empty(); }, 15s));
    EXPECT_EQ(job_status(job), "canceled");
    // The worker stays up, idle, ready for the next job.
    EXPECT_FALSE(m_workers[0].poll_exit().has_value());
}

}  // namespace spotfarm::test
