// The warnings of a job's frames: grouped by message, bounded, kept across a restart.
#include "manager/job_warnings.h"

#include <nlohmann/json.hpp>

#include "manager/farm.h"
#include "manager/farm_fixture.h"

namespace spotfarm::manager {
namespace {

core::FrameResult frame(int f, std::vector<std::string> warnings) {
    return {f, "/out/a_" + std::to_string(f), 1.0, 1 << 20, std::move(warnings)};
}

TEST(JobWarnings, GroupsByMessageWithTheirFramesMostFramesFirst) {
    JobWarnings w;
    const core::JobId job(1);
    w.add(job, {frame(1, {"missing image 'sky'"}), frame(2, {"missing image 'sky'", "GPU: CPU"})});
    w.add(job, {frame(3, {"missing image 'sky'"}), frame(4, {})});
    w.add(core::JobId(2), {frame(1, {"other job"})});
    const auto list = w.list(job);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].message, "missing image 'sky'");
    EXPECT_EQ(list[0].frames.to_string(), "1-3");
    EXPECT_EQ(list[1].message, "GPU: CPU");
    EXPECT_EQ(list[1].frames.to_string(), "2");
    w.erase(job);
    EXPECT_TRUE(w.list(job).empty());
    EXPECT_EQ(w.list(core::JobId(2)).size(), 1u);
}

TEST(JobWarnings, BoundedInMessagesAndLength) {
    JobWarnings w;
    const core::JobId job(1);
    for (int i = 0; i < 200; ++i) w.add(job, {frame(i + 1, {"warning " + std::to_string(i)})});
    EXPECT_EQ(w.list(job).size(), JobWarnings::k_max_messages);
    w.add(core::JobId(2), {frame(1, {std::string(5000, 'x')})});
    EXPECT_EQ(w.list(core::JobId(2)).front().message.size(), JobWarnings::k_max_message_bytes);
}

TEST(JobWarnings, CutsBetweenCharactersSoTheTextStaysJson) {
    const std::string text = "missing \xc3\xa9t\xc3\xa9.exr";  // "missing été.exr"
    for (std::size_t n = 0; n <= text.size(); ++n) {
        const std::string cut = cut_warning(text, n);
        EXPECT_LE(cut.size(), n);
        EXPECT_EQ(text.compare(0, cut.size(), cut), 0);
        EXPECT_NO_THROW((void)nlohmann::json(cut).dump()) << n;
    }
    EXPECT_EQ(cut_warning(text, 9), "missing ");  // not half of the é
    EXPECT_EQ(cut_warning(text, 100), text);
}

TEST_F(FarmTest, AJobShowsTheWarningsOfItsFramesAlsoAfterARestart) {
    const core::JobId job = submit("1-3");
    const auto w = worker();
    for (int i = 0; i < 3; ++i) {
        const Assignment a = claim(w.id);
        std::vector<core::FrameResult> results = results_for(a.frames);
        for (auto& r : results) {
            r.warnings = {"missing image 'sky' -> /hdr/sky.exr"};
            if (r.frame == 2) r.warnings.push_back("rendered on CPU, not the GPU asked for");
        }
        ASSERT_TRUE(farm->complete(a.task, w.id, results));
    }
    for (int round = 0; round < 2; ++round) {
        if (round == 1) open();
        auto detail = farm->show_job(job);
        ASSERT_TRUE(detail) << detail.error().message;
        ASSERT_EQ(detail->warnings.size(), 2u) << "round " << round;
        EXPECT_EQ(detail->warnings[0].message, "missing image 'sky' -> /hdr/sky.exr");
        EXPECT_EQ(detail->warnings[0].frames.to_string(), "1-3");
        EXPECT_EQ(detail->warnings[1].frames.to_string(), "2");
    }
    ASSERT_TRUE(farm->delete_job(job));
    open();
    EXPECT_TRUE(farm->show_job(submit("1")).value().warnings.empty());
}

TEST_F(FarmTest, AJobWithoutWarningsShowsNone) {
    const core::JobId job = submit("1");
    const auto w = worker();
    const Assignment a = claim(w.id);
    ASSERT_TRUE(complete(a, w.id));
    EXPECT_TRUE(farm->show_job(job).value().warnings.empty());
}

}  // namespace
}  // namespace spotfarm::manager
