#include "cli/jobs/job_eta.h"

#include <gtest/gtest.h>

namespace spotfarm::cli {
namespace {

using nlohmann::json;

json task_detail(const std::vector<std::pair<int, double>>& frames, const char* outcome) {
    json results = json::array();
    for (auto [frame, seconds] : frames) {
        results.push_back({{"frame", frame}, {"output", "f"}, {"render_seconds", seconds}});
    }
    return {{"id", 1},
            {"status", "completed"},
            {"attempt_list", json::array({{{"outcome", outcome}, {"results", results}}})}};
}

TEST(JobEta, FrameTimesComeFromCompletedAttempts) {
    auto times = frame_times_in_task(task_detail({{3, 1.5}, {4, 2.5}}, "completed"));
    EXPECT_EQ(times, (estimate::FrameTimes{{3, 1.5}, {4, 2.5}}));
    EXPECT_TRUE(frame_times_in_task(task_detail({{3, 1.5}}, "failed")).empty());
    EXPECT_TRUE(frame_times_in_task(json::object()).empty());
}

TEST(JobEta, AnAttemptsOverheadIsSharedOutByRenderTime) {
    json task = task_detail({{3, 1.0}, {4, 3.0}}, "completed");
    task["attempt_list"][0]["started_ms"] = 10'000;
    task["attempt_list"][0]["ended_ms"] = 18'000;  // 8 s for 4 s of rendering
    EXPECT_EQ(frame_times_in_task(task), (estimate::FrameTimes{{3, 2.0}, {4, 6.0}}));
    task["attempt_list"][0]["ended_ms"] = 12'000;  // shorter than the renders: clock skew
    EXPECT_EQ(frame_times_in_task(task), (estimate::FrameTimes{{3, 1.0}, {4, 3.0}}));
}

TEST(JobEta, FramesLeftFollowTheirNeighboursNotTheAverage) {
    // Frames 1-5 took 1 s, 6-10 took 9 s; 11-20 are left on one worker. A plain average (5 s)
    // would say 50 s; the frames next to the slow stretch say about 9 s each.
    estimate::FrameTimes done;
    for (int f = 1; f <= 10; ++f) done[f] = f <= 5 ? 1 : 9;
    json job = {{"frames_by_status", {{"completed", "1-10"}, {"queued", "11-20"}}}};
    auto eta = job_eta(job, done, json::array());
    ASSERT_TRUE(eta.has_value());
    EXPECT_EQ(eta->frames_left, 10u);
    EXPECT_EQ(eta->workers, 1u);
    EXPECT_GT(eta->seconds, 70);
    EXPECT_LT(eta->seconds, 90);
}

TEST(JobEta, ActiveTasksShareTheWorkAndCountWhatIsDone) {
    estimate::FrameTimes done{{1, 10}, {2, 10}};
    json job = {{"frames_by_status",
                 {{"completed", "1-2"}, {"active", "3-4"}, {"queued", "5-6"}, {"failed", "7"}}}};
    json active = json::array({{{"frames", "3"}, {"progress", {{"fraction", 0.5}, {"frame", 3}}}},
                               {{"frames", "4"}, {"progress", {{"fraction", 0.0}, {"frame", 4}}}}});
    auto eta = job_eta(job, done, active);
    ASSERT_TRUE(eta.has_value());
    EXPECT_EQ(eta->frames_left, 4u);  // the failed frame is not waited for
    EXPECT_EQ(eta->workers, 2u);
    // Worker A: 5 s left of frame 3, then frame 5 (10 s); worker B: frame 4, then frame 6.
    EXPECT_NEAR(eta->seconds, 20, 1e-9);
}

TEST(JobEta, NothingKnownYetGivesNoEta) {
    json job = {{"frames_by_status", {{"queued", "1-10"}}}};
    EXPECT_FALSE(job_eta(job, {}, json::array()).has_value());
    EXPECT_FALSE(job_eta(json::object(), {{1, 1.0}}, json::array()).has_value());
}

TEST(JobEta, FrameTimesAreReadOncePerTask) {
    std::vector<std::string> asked;
    json completed = json::array({{{"id", 7}, {"status", "completed"}}});
    JobFrameTimes times([&](const std::string& path) -> util::Result<json> {
        asked.push_back(path);
        if (path == "/jobs/3/tasks?status=completed") return json{{"tasks", completed}};
        if (path == "/tasks/7") return task_detail({{1, 2.0}}, "completed");
        if (path == "/tasks/8") return task_detail({{2, 4.0}}, "completed");
        return util::make_error("unexpected " + path);
    });
    ASSERT_TRUE(times.refresh(3).ok());
    completed.push_back({{"id", 8}, {"status", "completed"}});
    ASSERT_TRUE(times.refresh(3).ok());
    EXPECT_EQ(times.times(), (estimate::FrameTimes{{1, 2.0}, {2, 4.0}}));
    EXPECT_EQ(asked, (std::vector<std::string>{"/jobs/3/tasks?status=completed", "/tasks/7",
                                               "/jobs/3/tasks?status=completed", "/tasks/8"}));
}

TEST(JobEta, AFailedReadIsAnError) {
    JobFrameTimes times([](const std::string&) -> util::Result<json> {
        return util::make_error("manager unreachable", util::ErrorKind::unavailable);
    });
    EXPECT_FALSE(times.refresh(1).ok());
    EXPECT_TRUE(times.times().empty());
}

}  // namespace
}  // namespace spotfarm::cli
