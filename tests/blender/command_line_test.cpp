#include "blender/command_line.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace spotfarm::blender {

namespace {
using Args = std::vector<std::string>;

ptrdiff_t index_of(const Args& args, const std::string& s) {
    auto it = std::find(args.begin(), args.end(), s);
    return it == args.end() ? -1 : it - args.begin();
}

BlenderLaunch launch() {
    return BlenderLaunch{"/opt/blender/blender", "/shots/a.blend"};
}
}  // namespace

TEST(CommandLine, SessionStartsTheDriverWithScriptsOff) {
    auto args = session_command(launch(), "/tmp/driver.py", R"({"request_fd": 3})");
    Args expected = {"/opt/blender/blender",
                     "-b",
                     "--factory-startup",
                     "-noaudio",
                     "-Y",
                     "/shots/a.blend",
                     "--python-exit-code",
                     "1",
                     "--python",
                     "/tmp/driver.py",
                     "--",
                     R"({"request_fd": 3})"};
    EXPECT_EQ(args, expected);
}

TEST(CommandLine, AllowScriptsAndUserPreferencesAreOptIn) {
    auto l = launch();
    l.allow_scripts = true;
    l.factory_startup = false;
    auto args = session_command(l, "/tmp/driver.py", "{}");
    EXPECT_GE(index_of(args, "-y"), 0);
    EXPECT_EQ(index_of(args, "-Y"), -1);
    EXPECT_EQ(index_of(args, "--factory-startup"), -1);
}

TEST(CommandLine, FramesComeLastAfterSettingsInBlendersOrder) {
    PlainSettings s{"Shot", "CYCLES", "/out/frame_####", "OPEN_EXR", 4};
    auto args = frames_command(launch(), s, {5, 1, 2, 3, 10, 2});
    auto blend = index_of(args, "/shots/a.blend");
    ASSERT_GT(blend, 0);
    for (const char* later : {"-S", "-E", "-o", "-F", "-x", "-t"}) {
        EXPECT_GT(index_of(args, later), blend) << later;
    }
    EXPECT_LT(index_of(args, "-o"), index_of(args, "-F"));
    EXPECT_LT(index_of(args, "-F"), index_of(args, "-t"));
    ASSERT_EQ(args[args.size() - 2], "-f");
    EXPECT_EQ(args.back(), "1..3,5,10");
    EXPECT_EQ(args[index_of(args, "-t") + 1], "4");
    EXPECT_EQ(args[index_of(args, "-S") + 1], "Shot");
}

TEST(CommandLine, PythonExpressionRunsAfterTheFileAndBeforeRendering) {
    PlainSettings s;
    s.python_expr = "import bpy; bpy.context.scene.render.resolution_percentage = 25";
    auto args = frames_command(launch(), s, {1});
    auto expr = index_of(args, "--python-expr");
    ASSERT_GT(expr, index_of(args, "/shots/a.blend"));
    EXPECT_EQ(args[expr + 1], s.python_expr);
    EXPECT_LT(expr, index_of(args, "-f"));
}

TEST(CommandLine, RangeUsesStartEndStepThenAnimation) {
    PlainSettings s;
    s.output_pattern = "/out/f_####";
    auto args = range_command(launch(), s, 1, 24, 2);
    auto n = static_cast<ptrdiff_t>(args.size());
    EXPECT_EQ(args.back(), "-a");
    EXPECT_EQ(index_of(args, "-s"), n - 7);
    EXPECT_EQ(args[index_of(args, "-e") + 1], "24");
    EXPECT_EQ(args[index_of(args, "-j") + 1], "2");
    EXPECT_EQ(index_of(args, "-E"), -1);  // nothing that was not asked for
    EXPECT_EQ(index_of(range_command(launch(), s, 1, 24), "-j"), -1);
}

TEST(CommandLine, BlenderFrameListJoinsRuns) {
    EXPECT_EQ(blender_frame_list({}), "");
    EXPECT_EQ(blender_frame_list({7}), "7");
    EXPECT_EQ(blender_frame_list({1, 2}), "1..2");
    EXPECT_EQ(blender_frame_list({9, 8, 7, 1, 3, 4}), "1,3..4,7..9");
    EXPECT_EQ(blender_frame_list({0, 1, 1, 2}), "0..2");
}

}  // namespace spotfarm::blender
