#include "protocol/job_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/wire_round_trip.h"

namespace spotfarm::protocol {
namespace {

using core::JobStatus;
using core::TaskStatus;
using nlohmann::json;
using testing::error_of;
using ::testing::HasSubstr;
using testing::round_trip;

JobSummary summary() {
    return {.id = 7,
            .name = "shot",
            .status = JobStatus::active,
            .priority = 80,
            .created_ms = 1'800'000'000'000,
            .frames = "1-100x5",
            .frame_count = 20,
            .chunk = 4,
            .scene = "/mnt/efs/shot.blend",
            .output = "/mnt/efs/out/frame_####",
            .message = "",
            .tasks = {{TaskStatus::completed, 2}, {TaskStatus::queued, 3}}};
}

JobDetail detail() {
    JobDetail d;
    d.summary = summary();
    d.settings = {{"scene", "/mnt/efs/shot.blend"}, {"samples", 64}, {"future", {1, 2}}};
    d.frames_by_status = {{TaskStatus::completed, core::FrameSet::parse("1-36x5").value()},
                          {TaskStatus::failed, core::FrameSet::from_frames({41})}};
    d.frames_done = 8;
    d.worker_failures = {{3, 1}, {12, 2}};
    d.blocklisted = {12};
    d.warnings = {{"missing image 'sky' -> /hdr/sky.exr", core::FrameSet::parse("1-36x5").value()},
                  {"rendered on CPU", core::FrameSet::from_frames({6})}};
    return d;
}

TEST(JobSummaryWire, EveryStructSurvivesTheWire) {
    EXPECT_EQ(round_trip(summary()), summary());
    EXPECT_EQ(round_trip(detail()), detail());
    JobList list{{summary(), summary()}};
    list.jobs[1].id = 8;
    list.jobs[1].status = JobStatus::failed;
    list.jobs[1].message = "failed on 3 workers";
    list.jobs[1].tasks.clear();
    EXPECT_EQ(round_trip(list), list);
    EXPECT_EQ(round_trip(JobList{}), JobList{});
}

TEST(JobSummaryWire, TheJsonIsTheDocumentedShape) {
    json j = to_json(detail());
    EXPECT_EQ(j["status"], "active");
    EXPECT_EQ(j["tasks"], json({{"completed", 2}, {"queued", 3}}));
    EXPECT_EQ(j["frames_by_status"], json({{"completed", "1-36x5"}, {"failed", "41"}}));
    EXPECT_EQ(j["worker_failures"], json({{"3", 1}, {"12", 2}}));
    EXPECT_EQ(j["blocklisted"], json::array({12}));
    EXPECT_EQ(j["settings"]["future"], json::array({1, 2}));
    EXPECT_EQ(
        j["warnings"],
        json::array({{{"message", "missing image 'sky' -> /hdr/sky.exr"}, {"frames", "1-36x5"}},
                     {{"message", "rendered on CPU"}, {"frames", "6"}}}));
    // A summary carries none of the detail's fields.
    json s = to_json(summary());
    for (const char* key : {"settings", "frames_by_status", "frames_done", "worker_failures",
                            "blocklisted", "warnings"}) {
        EXPECT_FALSE(s.contains(key)) << key;
    }
    EXPECT_TRUE(to_json(JobList{}).at("jobs").is_array());
}

TEST(JobSummaryWire, ADetailFromAManagerWithoutWarningsReadsWithNone) {
    json j = to_json(detail());
    j.erase("warnings");
    auto read = from_json<JobDetail>(j);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_TRUE(read->warnings.empty());
    j["warnings"] = json::array({{{"message", "m"}, {"frames", "4-1"}}});
    EXPECT_THAT(error_of<JobDetail>(j.dump()), HasSubstr("JobDetail.warnings[0].frames: "));
    j["warnings"] = json::array({{{"frames", "1"}}});
    EXPECT_THAT(error_of<JobDetail>(j.dump()), HasSubstr("'message'"));
}

TEST(JobSummaryWire, ADetailReadsAsASummaryToo) {
    auto read = from_json<JobSummary>(to_json(detail()));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(*read, summary());
}

TEST(JobSummaryWire, ProblemsNameTheField) {
    json j = to_json(detail());
    auto error_with = [&](const char* key, json value) {
        json bad = j;
        bad[key] = std::move(value);
        return error_of<JobDetail>(bad.dump());
    };
    EXPECT_THAT(error_with("status", "sleeping"),
                HasSubstr("JobDetail.status must be a job status, not \"sleeping\""));
    EXPECT_THAT(error_with("id", "7"), HasSubstr("JobDetail: field 'id' must be an integer"));
    EXPECT_THAT(error_with("id", 0), HasSubstr("field 'id' must be at least 1"));
    EXPECT_THAT(error_with("chunk", 0), HasSubstr("field 'chunk' must be at least 1"));
    EXPECT_THAT(error_with("tasks", {{"lost", 1}}),
                HasSubstr("JobDetail.tasks must be keyed by task status, not \"lost\""));
    EXPECT_THAT(error_with("tasks", {{"queued", -1}}),
                HasSubstr("JobDetail.tasks.queued must be a count from 0"));
    EXPECT_THAT(error_with("frames_by_status", {{"failed", "4-1"}}),
                HasSubstr("JobDetail.frames_by_status.failed: "));
    EXPECT_THAT(error_with("worker_failures", {{"w3", 1}}),
                HasSubstr("must be keyed by worker id, not \"w3\""));
    EXPECT_THAT(error_with("blocklisted", {1, "2"}), HasSubstr("JobDetail.blocklisted must be a "
                                                               "list of ids, but holds a string"));
    EXPECT_THAT(error_with("settings", "samples=4"),
                HasSubstr("JobDetail.settings must be an object, not a string"));
    json missing = j;
    missing.erase("frames_done");
    EXPECT_THAT(error_of<JobDetail>(missing.dump()),
                HasSubstr("JobDetail: field 'frames_done' is missing"));
    EXPECT_THAT(error_of<JobList>(R"({"jobs": [{"id": 1}]})"),
                HasSubstr("JobList.jobs[0]: field 'name' is missing"));
    EXPECT_THAT(error_of<JobList>(R"({"jobs": {}})"),
                HasSubstr("JobList.jobs must be a list of jobs, not an object"));
    EXPECT_THAT(error_of<JobList>("[]"), HasSubstr("expected a JSON object, not an array"));
}

TEST(JobSummaryWire, UnknownFieldsAreIgnored) {
    json j = to_json(summary());
    j["added_later"] = {{"x", 1}};
    auto read = from_json<JobSummary>(j);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(*read, summary());
}

}  // namespace
}  // namespace spotfarm::protocol
