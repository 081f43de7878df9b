// `spotfarm exec` with real Blender: the frames it writes are complete images of the right size,
// and the very images Blender renders on its own.
#include <OpenImageIO/imageio.h>
#include <fmt/format.h>

#include "blender/blender_install.h"
#include "blender/command_line.h"
#include "exec_fixture.h"
#include "util/subprocess.h"

namespace spotfarm::test {

using blender::validate_output;

namespace {

// Every channel of every pixel, as floats; empty when the file does not decode.
std::vector<float> pixels(const std::filesystem::path& file) {
    auto in = OIIO::ImageInput::open(file.string());
    if (!in) return {};
    const OIIO::ImageSpec& spec = in->spec();
    std::vector<float> values(static_cast<size_t>(spec.width) * spec.height * spec.nchannels);
    if (!in->read_image(0, 0, 0, spec.nchannels, OIIO::TypeDesc::FLOAT, values.data())) return {};
    return values;
}

}  // namespace

TEST_F(ExecTest, CyclesPngFramesDecodeAtTheRightSize) {
    auto run =
        run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1-3", "-o", out()});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(out_files(), (std::vector<std::string>{"f_0001.png", "f_0002.png", "f_0003.png"}));
    for (const auto& name : out_files()) {
        auto st = validate_output(m_dir / "out" / name, {32, 18});
        EXPECT_TRUE(st.ok()) << st.error().message;
    }
    EXPECT_MENTIONS(run, "rendered   3");
}

// The session renders with another scene as the render operator's context (driver.py): what it
// writes must still be the job scene at each frame, as `blender -b SCENE -a` renders it.
TEST_F(ExecTest, SessionFramesAreThoseBlenderRendersWithDashA) {
    const auto scene = test_scene("tiny_cycles");
    auto run = run_cli({"exec", scene.string(), "--frames", "1-4", "-o", out("s_####")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;

    auto blender = blender::find_blender(blender::blender_search_from_env(""));
    ASSERT_TRUE(blender.ok()) << blender.error().message;
    blender::PlainSettings plain;
    plain.output_pattern = out("a_####");
    plain.format = "PNG";
    util::SpawnOptions spawn;
    spawn.argv = blender::range_command({*blender, scene, false, true}, plain, 1, 4);
    auto child = util::Subprocess::spawn(spawn);
    ASSERT_TRUE(child.ok()) << child.error().message;
    auto status = child->wait_for(std::chrono::minutes(5), [](const std::string&) {});
    ASSERT_TRUE(status && status->success());

    for (int f = 1; f <= 4; ++f) {
        const auto name = fmt::format("_{:04}.png", f);
        const auto session = pixels(m_dir / "out" / ("s" + name));
        ASSERT_FALSE(session.empty()) << name;
        EXPECT_EQ(session, pixels(m_dir / "out" / ("a" + name))) << "frame " << f;
    }
    // The cube turns: frames differ, so a frame rendered at the wrong time would be seen above.
    EXPECT_NE(pixels(m_dir / "out" / "s_0001.png"), pixels(m_dir / "out" / "s_0004.png"));
}

TEST_F(ExecTest, ExrAndMultilayerExrFrames) {
    auto exr = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "2", "-o",
                        out("plain_##"), "-F", "OPEN_EXR"});
    ASSERT_EQ(exr.exit_code, 0) << exr.out << exr.err;
    auto multi = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "2", "-o",
                          out("multi_##"), "--format", "open_exr_multilayer"});
    ASSERT_EQ(multi.exit_code, 0) << multi.out << multi.err;
    EXPECT_EQ(out_files(), (std::vector<std::string>{"multi_02.exr", "plain_02.exr"}));
    for (const auto& name : out_files()) {
        EXPECT_TRUE(validate_output(m_dir / "out" / name, {32, 18}).ok()) << name;
        auto in = OIIO::ImageInput::open((m_dir / "out" / name).string());
        ASSERT_TRUE(in);
        EXPECT_EQ(in->format_name(), std::string("openexr"));
    }
}

TEST_F(ExecTest, EeveeRendersHeadless) {
    auto run = run_cli(
        {"exec", test_scene("tiny_eevee").string(), "--frames", "1", "-o", out(), "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    auto j = json_of(run);
    EXPECT_EQ(j["engine"], "BLENDER_EEVEE");
    EXPECT_EQ(j["rendered"], 1);
    EXPECT_TRUE(validate_output(m_dir / "out" / "f_0001.png", {32, 18}).ok());
}

TEST_F(ExecTest, ResolutionPercentageAndEngineOverrides) {
    auto run =
        run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o", out(),
                 "--engine", "workbench", "--resolution", "64x40", "--percentage", "25", "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(json_of(run)["engine"], "BLENDER_WORKBENCH");
    auto st = validate_output(m_dir / "out" / "f_0001.png", {16, 10});
    EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST_F(ExecTest, RunningAgainSkipsFramesAlreadyDone) {
    auto scene = test_scene("tiny_cycles").string();
    ASSERT_EQ(run_cli({"exec", scene, "--frames", "1-2", "-o", out()}).exit_code, 0);
    auto before = std::filesystem::last_write_time(m_dir / "out" / "f_0001.png");
    auto again = run_cli({"exec", scene, "--frames", "1-3", "-o", out(), "--json"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    auto j = json_of(again);
    EXPECT_EQ(j["skipped"], 2);
    EXPECT_EQ(j["rendered"], 1);
    EXPECT_EQ(j["frames"][2]["status"], "rendered");
    EXPECT_EQ(std::filesystem::last_write_time(m_dir / "out" / "f_0001.png"), before);
    auto forced = run_cli({"exec", scene, "--frames", "1-3", "-o", out(), "--overwrite", "--json"});
    ASSERT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_EQ(json_of(forced)["rendered"], 3);
    expect_no_temp_files();
}

TEST_F(ExecTest, ProcessPerChunkStartsOneBlenderPerChunk) {
    auto run = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1-4", "-o", out(),
                        "--process-per-chunk", "--chunk", "2", "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    auto j = json_of(run);
    EXPECT_EQ(j["processes"], 2);
    EXPECT_EQ(j["rendered"], 4);
    EXPECT_EQ(out_files().size(), 4u);
}

}  // namespace spotfarm::test
