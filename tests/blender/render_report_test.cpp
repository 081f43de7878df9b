#include "blender/render_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::blender {

namespace {
FrameRecord rendered(int frame, double seconds) {
    return FrameRecord{frame,   FrameOutcome::rendered, "/out/f" + std::to_string(frame) + ".png",
                       seconds, seconds + 0.1,          ""};
}
}  // namespace

TEST(RenderReport, StatsOverRenderedFramesOnly) {
    std::vector<FrameRecord> frames = {rendered(1, 3.0),
                                       rendered(2, 1.0),
                                       rendered(3, 2.0),
                                       rendered(4, 10.0),
                                       {5, FrameOutcome::skipped, "/out/f5.png", 0, 0, ""},
                                       {6, FrameOutcome::failed, "/out/f6.png", 99, 0, "boom"}};
    auto s = compute_stats(frames);
    EXPECT_EQ(s.rendered, 4u);
    EXPECT_EQ(s.skipped, 1u);
    EXPECT_EQ(s.failed, 1u);
    EXPECT_DOUBLE_EQ(s.min_render_seconds, 1.0);
    EXPECT_DOUBLE_EQ(s.median_render_seconds, 2.5);
    EXPECT_DOUBLE_EQ(s.max_render_seconds, 10.0);
    EXPECT_DOUBLE_EQ(s.total_render_seconds, 16.0);
    frames.pop_back();
    frames.push_back(rendered(7, 5.0));
    EXPECT_DOUBLE_EQ(compute_stats(frames).median_render_seconds, 3.0);
    EXPECT_DOUBLE_EQ(compute_stats({}).max_render_seconds, 0.0);
}

TEST(RenderReport, TableNamesFailuresAndJsonCarriesEveryFrame) {
    std::vector<FrameRecord> frames = {
        rendered(1, 0.5), {2, FrameOutcome::failed, "/out/f2.png", 0, 0, "no progress"}};
    RunHeader h{"/shots/a.blend", "3.4.1", "CYCLES", "CPU", "/out/f####.png", 75.0, 2, false};
    auto table = format_report(h, frames);
    EXPECT_NE(table.find("2 frames of /shots/a.blend"), std::string::npos);
    EXPECT_NE(table.find("failures:\n  frame 2      no progress"), std::string::npos) << table;
    EXPECT_NE(table.find("1 min 15 s wall, 2 Blender processes"), std::string::npos) << table;
    auto j = report_json(h, frames, 1);
    EXPECT_EQ(j["failed"], 1);
    EXPECT_EQ(j["exit_code"], 1);
    EXPECT_EQ(j["frames"][1]["error"], "no progress");
    EXPECT_EQ(j["frames"][0]["status"], "rendered");
    EXPECT_FALSE(j["frames"][1].contains("render_seconds"));
}

}  // namespace spotfarm::blender
