#include "cli/jobs/job_eta.h"

#include <gtest/gtest.h>

namespace spotfarm::cli {
namespace {

using core::AttemptOutcome;
using core::FrameSet;
using core::TaskStatus;
using nlohmann::json;

FrameSet frames(const char* spec) {
    return FrameSet::parse(spec).value();
}

protocol::AttemptRecord attempt(const std::vector<std::pair<int, double>>& results,
                                AttemptOutcome outcome) {
    protocol::AttemptRecord a{.id = 1, .task = 1, .job = 1, .worker = 1, .outcome = outcome};
    for (auto [frame, seconds] : results) a.results.push_back({frame, "f", seconds, 0});
    return a;
}

protocol::TaskDetail task_detail(std::int64_t id,
                                 const std::vector<std::pair<int, double>>& results,
                                 AttemptOutcome outcome) {
    protocol::TaskDetail task;
    task.summary = {.id = id, .job = 3, .frames = frames("1"), .status = TaskStatus::completed};
    task.attempt_list.push_back(attempt(results, outcome));
    return task;
}

protocol::JobDetail job_with(std::map<TaskStatus, FrameSet> by_status) {
    protocol::JobDetail job;
    job.summary.id = 3;
    job.frames_by_status = std::move(by_status);
    return job;
}

protocol::TaskSummary active_task(int frame, double fraction) {
    return {.id = frame,
            .job = 3,
            .frames = FrameSet::from_frames({frame}),
            .status = TaskStatus::active,
            .worker = 1,
            .progress = protocol::TaskProgress{.fraction = fraction, .frame = frame}};
}

TEST(JobEta, FrameTimesComeFromCompletedAttempts) {
    auto times =
        frame_times_in_task(task_detail(1, {{3, 1.5}, {4, 2.5}}, AttemptOutcome::completed));
    EXPECT_EQ(times, (estimate::FrameTimes{{3, 1.5}, {4, 2.5}}));
    EXPECT_TRUE(frame_times_in_task(task_detail(1, {{3, 1.5}}, AttemptOutcome::failed)).empty());
    EXPECT_TRUE(frame_times_in_task(protocol::TaskDetail{}).empty());
}

TEST(JobEta, AnAttemptsOverheadIsSharedOutByRenderTime) {
    auto task = task_detail(1, {{3, 1.0}, {4, 3.0}}, AttemptOutcome::completed);
    task.attempt_list[0].started_ms = 10'000;
    task.attempt_list[0].ended_ms = 18'000;  // 8 s for 4 s of rendering
    EXPECT_EQ(frame_times_in_task(task), (estimate::FrameTimes{{3, 2.0}, {4, 6.0}}));
    task.attempt_list[0].ended_ms = 12'000;  // shorter than the renders: clock skew
    EXPECT_EQ(frame_times_in_task(task), (estimate::FrameTimes{{3, 1.0}, {4, 3.0}}));
}

TEST(JobEta, FramesLeftFollowTheirNeighboursNotTheAverage) {
    // Frames 1-5 took 1 s, 6-10 took 9 s; 11-20 are left on one worker. A plain average (5 s)
    // would say 50 s; the frames next to the slow stretch say about 9 s each.
    estimate::FrameTimes done;
    for (int f = 1; f <= 10; ++f) done[f] = f <= 5 ? 1 : 9;
    auto job =
        job_with({{TaskStatus::completed, frames("1-10")}, {TaskStatus::queued, frames("11-20")}});
    auto eta = job_eta(job, done, {});
    ASSERT_TRUE(eta.has_value());
    EXPECT_EQ(eta->frames_left, 10u);
    EXPECT_EQ(eta->workers, 1u);
    EXPECT_GT(eta->seconds, 70);
    EXPECT_LT(eta->seconds, 90);
}

TEST(JobEta, ActiveTasksShareTheWorkAndCountWhatIsDone) {
    estimate::FrameTimes done{{1, 10}, {2, 10}};
    auto job = job_with({{TaskStatus::completed, frames("1-2")},
                         {TaskStatus::active, frames("3-4")},
                         {TaskStatus::queued, frames("5-6")},
                         {TaskStatus::failed, frames("7")}});
    const std::vector<protocol::TaskSummary> active{active_task(3, 0.5), active_task(4, 0.0)};
    auto eta = job_eta(job, done, active);
    ASSERT_TRUE(eta.has_value());
    EXPECT_EQ(eta->frames_left, 4u);  // the failed frame is not waited for
    EXPECT_EQ(eta->workers, 2u);
    // Worker A: 5 s left of frame 3, then frame 5 (10 s); worker B: frame 4, then frame 6.
    EXPECT_NEAR(eta->seconds, 20, 1e-9);
}

TEST(JobEta, NothingKnownYetGivesNoEta) {
    EXPECT_FALSE(job_eta(job_with({{TaskStatus::queued, frames("1-10")}}), {}, {}).has_value());
}

TEST(JobEta, FrameTimesAreReadOncePerTask) {
    std::vector<std::string> asked;
    protocol::TaskList completed{{task_detail(7, {}, AttemptOutcome::completed).summary}};
    JobFrameTimes times([&](const std::string& path) -> util::Result<json> {
        asked.push_back(path);
        if (path == "/jobs/3/tasks?status=completed") return protocol::to_json(completed);
        if (path == "/tasks/7") {
            return protocol::to_json(task_detail(7, {{1, 2.0}}, AttemptOutcome::completed));
        }
        if (path == "/tasks/8") {
            return protocol::to_json(task_detail(8, {{2, 4.0}}, AttemptOutcome::completed));
        }
        return util::make_error("unexpected " + path);
    });
    ASSERT_TRUE(times.refresh(3).ok());
    completed.tasks.push_back(task_detail(8, {}, AttemptOutcome::completed).summary);
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

TEST(JobEta, AnAnswerThatIsNotATaskListIsAnError) {
    JobFrameTimes times([](const std::string&) -> util::Result<json> {
        return json{{"tasks", json::array({{{"id", 7}, {"status", "completed"}}})}};
    });
    auto refreshed = times.refresh(1);
    ASSERT_FALSE(refreshed.ok());
    EXPECT_NE(refreshed.error().message.find("tasks[0]: field 'job' is missing"), std::string::npos)
        << refreshed.error().message;
}

}  // namespace
}  // namespace spotfarm::cli
