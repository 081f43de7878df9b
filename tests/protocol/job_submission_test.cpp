#include "protocol/job_submission.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/job.h"
#include "support/expect_error.h"

namespace spotfarm::protocol {
namespace {

using nlohmann::json;
using spotfarm::testing::fails_mentioning;

JobSubmission full_job() {
    JobSubmission job;
    job.name = "shot010";
    job.frames = core::FrameSet::from_frames({1, 2, 3, 4, 10, 20, 30});
    job.chunk = 5;
    job.priority = 70;
    job.settings.scene = "/mnt/efs/shot.blend";
    job.settings.output = "/mnt/efs/renders/shot_####";
    job.settings.format = "OPEN_EXR";
    job.settings.engine = "CYCLES";
    job.settings.device = "OPTIX";
    job.settings.samples = 64;
    job.settings.resolution_x = 1920;
    job.settings.resolution_y = 1080;
    job.settings.percentage = 50;
    job.settings.threads = 8;
    job.settings.scene_name = "Main";
    job.settings.allow_scripts = true;
    job.settings.strict = false;
    job.settings.frame_timeout_s = 900.5;
    job.settings.stall_timeout_s = 120;
    return job;
}

json minimal_body() {
    return {{"scene", "/s.blend"}, {"output", "/o/f_####"}, {"frames", "1-3"}};
}

TEST(JobSubmission, EveryFieldSurvivesTheWire) {
    const JobSubmission job = full_job();
    auto back = from_json<JobSubmission>(to_json(job));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, job);
    EXPECT_EQ(back->frames.to_string(), "1-4,10-30x10");
}

TEST(JobSubmission, OnTheWireItIsOneFlatObject) {
    json j = to_json(full_job());
    EXPECT_EQ(j["name"], "shot010");
    EXPECT_EQ(j["frames"], "1-4,10-30x10");
    EXPECT_EQ(j["chunk"], 5);
    EXPECT_EQ(j["priority"], 70);
    EXPECT_EQ(j["scene"], "/mnt/efs/shot.blend");
    EXPECT_EQ(j["output"], "/mnt/efs/renders/shot_####");
    EXPECT_EQ(j["resolution_x"], 1920);
    EXPECT_EQ(j["stall_timeout_s"], 120.0);
}

TEST(JobSubmission, UnsetFieldsStayOffTheWire) {
    auto job = from_json<JobSubmission>(minimal_body());
    ASSERT_TRUE(job.ok()) << job.error().message;
    EXPECT_TRUE(job->name.empty());
    EXPECT_FALSE(job->chunk.has_value());
    EXPECT_FALSE(job->priority.has_value());
    EXPECT_FALSE(job->settings.device.has_value());
    EXPECT_EQ(to_json(*job), minimal_body());
}

TEST(JobSubmission, OneFrameMayComeAsANumber) {
    json body = minimal_body();
    body["frames"] = 12;
    auto job = from_json<JobSubmission>(body);
    ASSERT_TRUE(job.ok()) << job.error().message;
    EXPECT_EQ(job->frames.frames(), std::vector<int>{12});
}

TEST(JobSubmission, BadBodiesNameTheField) {
    EXPECT_TRUE(fails_mentioning(from_json<JobSubmission>(json::array()), "JSON object"));
    auto with = [](const std::string& key, const json& value) {
        json body = minimal_body();
        body[key] = value;
        return from_json<JobSubmission>(body);
    };
    auto without = [](const std::string& key) {
        json body = minimal_body();
        body.erase(key);
        return from_json<JobSubmission>(body);
    };
    EXPECT_TRUE(fails_mentioning(without("scene"), "'scene'"));
    EXPECT_TRUE(fails_mentioning(without("output"), "'output' is missing"));
    EXPECT_TRUE(fails_mentioning(without("frames"), "'frames' is missing"));
    EXPECT_TRUE(fails_mentioning(with("output", ""), "'output' must not be empty"));
    EXPECT_TRUE(fails_mentioning(with("frames", "banana"), "frames 'banana'"));
    EXPECT_TRUE(fails_mentioning(with("frames", "10-1"), "frames '10-1'"));
    EXPECT_TRUE(fails_mentioning(with("frames", json::array({1, 2})), "frame set"));
    EXPECT_TRUE(fails_mentioning(with("chunk", 0), "'chunk' must be from 1 to 100000"));
    // A task no worker would take is refused at submission.
    EXPECT_TRUE(fails_mentioning(with("chunk", k_max_chunk + 1), "no worker takes"));
    EXPECT_EQ(static_cast<std::size_t>(k_max_chunk), k_max_task_frames);
    EXPECT_TRUE(fails_mentioning(with("chunk", "4"), "'chunk'"));
    EXPECT_TRUE(fails_mentioning(with("priority", 101), "'priority' must be from 0 to 100"));
    EXPECT_TRUE(fails_mentioning(with("name", 7), "'name'"));
    // The settings are read as a worker reads them.
    EXPECT_TRUE(fails_mentioning(with("samples", "many"), "'samples'"));
    EXPECT_TRUE(fails_mentioning(with("resolution_x", 0), "'resolution_x'"));
}

TEST(JobSubmission, TheBoundsAreAccepted) {
    json body = minimal_body();
    body["chunk"] = k_max_chunk;
    body["priority"] = core::k_max_priority;
    EXPECT_TRUE(from_json<JobSubmission>(body).ok());
    body["chunk"] = 1;
    body["priority"] = core::k_min_priority;
    EXPECT_TRUE(from_json<JobSubmission>(body).ok());
}

}  // namespace
}  // namespace spotfarm::protocol
