// `spotfarm exec` when something is wrong: each case ends with a clear message, a non-zero exit
// code and no partial or temporary file in the output folder.
#include <unistd.h>

#include "exec_fixture.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

TEST_F(ExecTest, CorruptBlendIsBadInput) {
    auto corrupt = m_dir / "corrupt.blend";
    {
        std::ifstream in(test_scene("tiny_cycles"), std::ios::binary);
        std::string head(4096, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        std::ofstream(corrupt, std::ios::binary) << head;  // a header and then nothing
    }
    auto run = run_cli({"exec", corrupt.string(), "--frames", "1", "-o", out()});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_MENTIONS(run, "could not open the scene");
    EXPECT_TRUE(out_files().empty());
}

TEST_F(ExecTest, NotABlendFileIsBadInput) {
    std::ofstream(m_dir / "notes.blend") << "these are my notes, not a scene";
    auto run = run_cli({"exec", (m_dir / "notes.blend").string(), "--frames", "1", "-o", out()});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_MENTIONS(run, "could not open the scene");
    EXPECT_TRUE(out_files().empty());
}

TEST_F(ExecTest, MissingSceneFileIsBadInput) {
    auto run = run_cli({"exec", (m_dir / "nope.blend").string(), "--frames", "1", "-o", out()});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_MENTIONS(run, "scene file not found");
    EXPECT_FALSE(fs::exists(m_dir / "out"));
}

TEST_F(ExecTest, MissingTextureWarnsAndStillRenders) {
    auto run =
        run_cli({"exec", test_scene("missing_texture").string(), "--frames", "1", "-o", out()});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_MENTIONS(run, "missing image 'wood' -> /nonexistent/spotfarm/textures/wood.png");
    EXPECT_EQ(out_files(), (std::vector<std::string>{"f_0001.png"}));
}

TEST_F(ExecTest, MissingTextureFailsWithStrict) {
    auto run = run_cli(
        {"exec", test_scene("missing_texture").string(), "--frames", "1", "-o", out(), "--strict"});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_MENTIONS(run, "missing (--strict)");
    EXPECT_MENTIONS(run, "/nonexistent/spotfarm/textures/wood.png");
    EXPECT_TRUE(out_files().empty());
}

// Debian's Blender 3.4 has no OpenImageDenoise; the scene asks for denoising.
TEST_F(ExecTest, DenoisingWithoutOpenImageDenoiseFailsClearly) {
    auto run = run_cli({"exec", test_scene("denoise").string(), "--frames", "1-2", "-o", out()});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_MENTIONS(run, "Build without OpenImageDenoiser");
    EXPECT_MENTIONS(run, "turn denoising off");
    EXPECT_MENTIONS(run, "failed     2");
    EXPECT_TRUE(out_files().empty());
}

TEST_F(ExecTest, UnwritableOutputFolderIsBadInput) {
    std::ofstream(m_dir / "a-file") << "in the way";
    auto run = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o",
                        (m_dir / "a-file" / "frames" / "").string()});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_MENTIONS(run, "cannot create output folder");
    if (::geteuid() != 0) {  // permissions do not stop root
        fs::create_directories(m_dir / "ro");
        fs::permissions(m_dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
        auto ro = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o",
                           (m_dir / "ro" / "").string()});
        EXPECT_EQ(ro.exit_code, 2);
        EXPECT_MENTIONS(ro, "cannot write in output folder");
    }
}

TEST_F(ExecTest, BadFrameSetsAndOptionsAreBadInput) {
    auto scene = test_scene("tiny_cycles").string();
    for (const char* frames : {"5-1", "", "-3", "1-20000000", "abc"}) {
        auto run = run_cli({"exec", scene, "--frames", frames, "-o", out()});
        EXPECT_EQ(run.exit_code, 2) << frames << ": " << run.err;
        EXPECT_MENTIONS(run, "--frames");
    }
    auto device = run_cli({"exec", scene, "--frames", "1", "-o", out(), "--device", "opencl"});
    EXPECT_EQ(device.exit_code, 2);
    EXPECT_MENTIONS(device, "unknown --device");
    auto resolution = run_cli({"exec", scene, "--frames", "1", "-o", out(), "--resolution", "big"});
    EXPECT_EQ(resolution.exit_code, 2);
    auto no_scene = run_cli({"exec", scene, "--frames", "1", "-o", out(), "--scene", "Shot9"});
    EXPECT_EQ(no_scene.exit_code, 2);
    EXPECT_MENTIONS(no_scene, "no scene 'Shot9'");
    expect_no_temp_files();
    EXPECT_TRUE(out_files().empty());
}

TEST_F(ExecTest, MissingBlenderSaysHowToGetIt) {
    auto run = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o", out(),
                        "--blender", (m_dir / "no-blender").string()});
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_MENTIONS(run, "Blender not found");
    auto env = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o", out()},
                       std::chrono::seconds(60), {{"PATH", "/nonexistent"}});
    EXPECT_EQ(env.exit_code, 3);
    EXPECT_MENTIONS(env, "apt install blender");
}

// Without a GPU (as here) --device gpu fails before any frame; with one it renders on it.
TEST_F(ExecTest, GpuDeviceFailsClearlyWithoutAGpuAndAutoFallsBack) {
    auto gpu = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o",
                        out("gpu_####"), "--device", "gpu", "--json"});
    if (gpu.exit_code == 0) {
        EXPECT_NE(json_of(gpu)["device"].get<std::string>().find("GPU"), std::string::npos);
    } else {
        EXPECT_EQ(gpu.exit_code, 2);
        EXPECT_MENTIONS(gpu, "no GPU device found");
        EXPECT_TRUE(out_files().empty());
        auto fallback = run_cli({"exec", test_scene("tiny_cycles").string(), "--frames", "1", "-o",
                                 out("auto_####"), "--device", "auto"});
        EXPECT_EQ(fallback.exit_code, 0);
        EXPECT_MENTIONS(fallback, "rendering on the CPU");
    }
}

}  // namespace spotfarm::test
