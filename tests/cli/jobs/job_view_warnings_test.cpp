// Warnings of a job's frames reach people: `spotfarm job` and the end of `spotfarm render`.
#include <gtest/gtest.h>

#include "cli/jobs/job_view.h"
#include "cli/render/render_summary.h"

namespace spotfarm::cli {
namespace {

protocol::JobDetail detail_with(std::vector<protocol::JobWarning> warnings) {
    protocol::JobDetail d;
    d.summary.id = 4;
    d.summary.name = "shot";
    d.summary.status = core::JobStatus::completed;
    d.summary.frames = "1-24";
    d.summary.frame_count = 24;
    d.summary.scene = "/scenes/shot.blend";
    d.summary.output = "/out/f_####";
    d.summary.tasks = {{core::TaskStatus::completed, 24}};
    d.frames_by_status = {{core::TaskStatus::completed, core::FrameSet::parse("1-24").value()}};
    d.frames_done = 24;
    d.warnings = std::move(warnings);
    return d;
}

const protocol::JobWarning k_sky{"missing image 'sky' -> /hdr/sky.exr",
                                 core::FrameSet::parse("1-24").value()};
const protocol::JobWarning k_cpu{"rendered on CPU, not OPTIX", core::FrameSet::from_frames({7})};

TEST(JobViewWarnings, TheJobShowsEachWarningWithItsFrames) {
    const std::string text = render_job_detail(detail_with({k_sky, k_cpu}), {}, 0);
    const auto at = text.find("Warnings");
    ASSERT_NE(at, std::string::npos) << text;
    EXPECT_NE(text.find("  missing image 'sky' -> /hdr/sky.exr\n    frames 1-24\n", at),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("  rendered on CPU, not OPTIX\n    frames 7\n", at), std::string::npos);
    EXPECT_EQ(render_job_detail(detail_with({}), {}, 0).find("Warnings"), std::string::npos);
}

TEST(JobViewWarnings, TheRenderSummaryListsThem) {
    EXPECT_EQ(warning_lines(detail_with({k_sky, k_cpu})),
              (std::vector<std::string>{"missing image 'sky' -> /hdr/sky.exr (frames 1-24)",
                                        "rendered on CPU, not OPTIX (frame 7)"}));
    EXPECT_TRUE(warning_lines(detail_with({})).empty());
}

TEST(JobViewWarnings, TheRenderSummaryPrintsThemInTextAndJson) {
    RenderOutcome o;
    o.job = 4;
    o.status = "completed";
    o.frames = 24;
    o.warnings = warning_lines(detail_with({k_sky}));
    ::testing::internal::CaptureStdout();
    print_render_summary(o, false);
    const std::string text = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(text.find("warning: missing image 'sky' -> /hdr/sky.exr (frames 1-24)\n"),
              std::string::npos)
        << text;
    ::testing::internal::CaptureStdout();
    print_render_summary(o, true);
    const std::string json = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(
        json.find("\"warnings\": [\n    \"missing image 'sky' -> /hdr/sky.exr (frames 1-24)\""),
        std::string::npos)
        << json;
}

}  // namespace
}  // namespace spotfarm::cli
