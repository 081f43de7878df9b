#include "protocol/video_output_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "protocol/job_submission.h"

namespace spotfarm::protocol {
namespace {

TEST(JobMediaJson, RidesInTheJobsFlatSettingsBothWays) {
    core::JobMedia m;
    m.video = core::VideoOutput{"MKV", "H264", "HIGH", "GOOD", 0, 12, 30, 1.001, "NONE", "RGB"};
    m.fps = 30;
    m.fps_base = 1.001;
    m.preview = false;
    JobSubmission job;
    job.frames = *core::FrameSet::parse("1-6");
    job.settings.scene = "/s.blend";
    job.settings.output = "/r/f_####";
    nlohmann::json body = to_json(job);
    body.update(to_json(m));
    EXPECT_EQ(body["video"]["codec"], "H264");
    EXPECT_EQ(body["video"]["fps_base"], 1.001);
    // The job reads as before, and the media beside it.
    auto read = from_json<JobSubmission>(body);
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, job);
    auto media = parse_job_media(body, "JobSubmission");
    ASSERT_TRUE(media.ok()) << media.error().message;
    EXPECT_EQ(*media, m);
}

TEST(JobMediaJson, NothingSetWritesNothing) {
    EXPECT_EQ(to_json(core::JobMedia{}), nlohmann::json::object());
    auto media = parse_job_media(nlohmann::json{{"scene", "/s.blend"}}, "JobSubmission");
    ASSERT_TRUE(media.ok());
    EXPECT_EQ(*media, core::JobMedia{});
}

TEST(JobMediaJson, ABadFieldIsNamed) {
    nlohmann::json j = {
        {"video", to_json(core::VideoOutput{"MKV", "H264", "", "", 0, 0, 0, 1.0, "", ""})}};
    auto read = parse_job_media(j, "JobSubmission");
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().message.find("fps"), std::string::npos) << read.error().message;
    j["video"]["fps"] = 24;
    j["video"]["codec"] = 7;
    read = parse_job_media(j, "JobSubmission");
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().message.find("codec"), std::string::npos) << read.error().message;
    read = parse_job_media({{"preview", "yes"}}, "JobSubmission");
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().message.find("preview"), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace spotfarm::protocol
