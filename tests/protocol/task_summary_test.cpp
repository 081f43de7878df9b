#include "protocol/task_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/wire_round_trip.h"

namespace spotfarm::protocol {
namespace {

using core::AttemptOutcome;
using core::TaskStatus;
using nlohmann::json;
using testing::error_of;
using ::testing::HasSubstr;
using testing::round_trip;

TaskSummary active() {
    return {.id = 12,
            .job = 3,
            .frames = core::FrameSet::parse("9-12").value(),
            .status = TaskStatus::active,
            .worker = 4,
            .attempts = 2,
            .failed_on = {2},
            .lease_seconds = 23.5,
            .progress = TaskProgress{.fraction = 0.375, .frame = 10, .message = "frame 10"}};
}

TaskSummary queued() {
    return {.id = 13,
            .job = 3,
            .frames = core::FrameSet::from_frames({13}),
            .status = TaskStatus::queued,
            .worker = std::nullopt,
            .attempts = 0,
            .failed_on = {},
            .lease_seconds = std::nullopt,
            .progress = std::nullopt};
}

AttemptRecord attempt(std::int64_t id, AttemptOutcome outcome) {
    AttemptRecord a{.id = id,
                    .task = 12,
                    .job = 3,
                    .worker = 2,
                    .started_ms = 1'800'000'000'000,
                    .ended_ms = 1'800'000'004'500,
                    .outcome = outcome,
                    .error = "",
                    .log_tail = "",
                    .results = {}};
    if (outcome == AttemptOutcome::failed) {
        a.error = "Error: cannot save";
        a.log_tail = "Fra:9\nError: cannot save\n";
    } else if (outcome == AttemptOutcome::running) {
        a.ended_ms.reset();
    } else {
        a.results = {{9, "/o/9.png", 1.25, 1 << 30, {"missing image 'sky'"}},
                     {10, "/o/10.png", 1.5, 0, {}}};
    }
    return a;
}

TaskDetail detail() {
    return {
        .summary = active(),
        .attempt_list = {attempt(1, AttemptOutcome::failed), attempt(2, AttemptOutcome::completed),
                         attempt(3, AttemptOutcome::running)},
        .log_tail = "Fra:10 Sample 3/8\n"};
}

TEST(TaskSummaryWire, EveryStructSurvivesTheWire) {
    EXPECT_EQ(round_trip(active()), active());
    EXPECT_EQ(round_trip(queued()), queued());
    EXPECT_EQ(round_trip(detail()), detail());
    TaskDetail no_log = detail();
    no_log.log_tail.reset();
    EXPECT_EQ(round_trip(no_log), no_log);
    EXPECT_EQ(round_trip(TaskList{{active(), queued()}}), (TaskList{{active(), queued()}}));
    TaskProgress unknown_frame{.fraction = 0, .frame = std::nullopt, .message = ""};
    EXPECT_EQ(round_trip(unknown_frame), unknown_frame);
}

TEST(TaskSummaryWire, TheJsonIsTheDocumentedShape) {
    json a = to_json(active());
    EXPECT_EQ(a["frames"], "9-12");
    EXPECT_EQ(a["status"], "active");
    EXPECT_EQ(a["failed_on"], json::array({2}));
    EXPECT_EQ(a["progress"], json({{"fraction", 0.375}, {"frame", 10}, {"message", "frame 10"}}));
    // A queued task has no holder (null) and no lease or progress (absent).
    json q = to_json(queued());
    EXPECT_TRUE(q.at("worker").is_null());
    EXPECT_FALSE(q.contains("lease_seconds"));
    EXPECT_FALSE(q.contains("progress"));
    // A heartbeat of no known frame keeps "frame": null.
    EXPECT_TRUE(to_json(TaskProgress{}).at("frame").is_null());

    json d = to_json(detail());
    ASSERT_EQ(d["attempt_list"].size(), 3u);
    EXPECT_EQ(d["attempt_list"][0]["outcome"], "failed");
    EXPECT_TRUE(d["attempt_list"][2]["ended_ms"].is_null());
    EXPECT_EQ(d["attempt_list"][1]["results"][0], json({{"frame", 9},
                                                        {"output", "/o/9.png"},
                                                        {"render_seconds", 1.25},
                                                        {"peak_memory_bytes", 1 << 30},
                                                        {"warnings", {"missing image 'sky'"}}}));
    EXPECT_EQ(d["attempts"], 2) << "the count, beside the list";
    EXPECT_EQ(d["log_tail"], "Fra:10 Sample 3/8\n");
}

TEST(TaskSummaryWire, ProblemsNameTheField) {
    json j = to_json(detail());
    auto error_with = [&](json bad) { return error_of<TaskDetail>(bad.dump()); };
    json bad = j;
    bad["status"] = "stuck";
    EXPECT_THAT(error_with(bad),
                HasSubstr("TaskDetail.status must be a task status, not \"stuck\""));
    bad = j;
    bad["frames"] = 9;
    EXPECT_THAT(error_with(bad), HasSubstr("TaskDetail.frames must be a frame set"));
    bad = j;
    bad["worker"] = 0;
    EXPECT_THAT(error_with(bad), HasSubstr("field 'worker' must be a worker id or null"));
    bad = j;
    bad["progress"]["fraction"] = "half";
    EXPECT_THAT(error_with(bad),
                HasSubstr("TaskDetail.progress: field 'fraction' must be a number, not a string"));
    bad = j;
    bad["attempt_list"][1]["outcome"] = "maybe";
    EXPECT_THAT(error_with(bad), HasSubstr("TaskDetail.attempt_list[1].outcome must be an "
                                           "attempt outcome, not \"maybe\""));
    bad = j;
    bad["attempt_list"][1]["results"][1]["render_seconds"] = -1;
    EXPECT_THAT(error_with(bad), HasSubstr("TaskDetail.attempt_list[1].results[1]: field "
                                           "'render_seconds' must not be negative"));
    bad = j;
    bad["attempt_list"][0]["ended_ms"] = "soon";
    EXPECT_THAT(error_with(bad), HasSubstr("TaskDetail.attempt_list[0]: field 'ended_ms' must be "
                                           "an integer, not a string"));
    bad = j;
    bad.erase("attempt_list");
    EXPECT_THAT(error_with(bad), HasSubstr("TaskDetail: field 'attempt_list' is missing"));
    EXPECT_THAT(error_of<TaskList>(R"({"tasks": [{"id": 1, "job": 1, "frames": "1",
        "status": "queued", "worker": null, "attempts": 0, "failed_on": [0]}]})"),
                HasSubstr("TaskList.tasks[0].failed_on must be a list of ids, but holds 0"));
}

TEST(TaskSummaryWire, ASummaryReadsWithoutItsOptionalFields) {
    auto read = from_json<TaskSummary>(json::parse(R"({"id": 5, "job": 1, "frames": "5",
        "status": "queued", "attempts": 0, "failed_on": [], "new_field": true})"));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_FALSE(read->worker.has_value());
    EXPECT_FALSE(read->progress.has_value());
    EXPECT_EQ(read->frames, core::FrameSet::from_frames({5}));
}

}  // namespace
}  // namespace spotfarm::protocol
