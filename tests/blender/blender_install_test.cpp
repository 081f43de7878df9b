#include "blender/blender_install.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {
class BlenderInstallTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(m_dir / "a");
        fs::create_directories(m_dir / "b");
    }

    fs::path make_program(const fs::path& p, bool executable = true) {
        std::ofstream(p) << "#!/bin/sh\necho 'Blender 4.2.1 LTS'\n";
        ::chmod(p.c_str(), executable ? 0755 : 0644);
        return p;
    }
    test::ScratchDir m_scratch;
    const fs::path& m_dir = m_scratch.path();
};
}  // namespace

TEST_F(BlenderInstallTest, ExplicitPathWinsOverEnvironmentAndPath) {
    auto given = make_program(m_dir / "a" / "my-blender");
    auto env = make_program(m_dir / "b" / "blender");
    auto found = find_blender({given.string(), env.string(), (m_dir / "b").string()});
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, given);
    found = find_blender({"", env.string(), (m_dir / "a").string()});
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, env);
}

TEST_F(BlenderInstallTest, SearchesPathInOrderSkippingNonExecutables) {
    make_program(m_dir / "a" / "blender", false);
    auto b = make_program(m_dir / "b" / "blender");
    auto found =
        find_blender({"", "", "::" + (m_dir / "a").string() + ":" + (m_dir / "b").string()});
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, b);
}

TEST_F(BlenderInstallTest, MissingBlenderSaysHowToGetOne) {
    auto found = find_blender({"", "", (m_dir / "a").string()});
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(found.error().message.find("Blender not found"), std::string::npos);
    EXPECT_NE(found.error().message.find("--blender"), std::string::npos);
    EXPECT_NE(found.error().message.find("SPOTFARM_BLENDER"), std::string::npos);

    auto bad = find_blender({(m_dir / "a").string(), "", ""});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("folder"), std::string::npos);
    auto env = find_blender({"", (m_dir / "nope").string(), ""});
    ASSERT_FALSE(env.ok());
    EXPECT_NE(env.error().message.find("SPOTFARM_BLENDER"), std::string::npos);
}

TEST(BlenderVersion, ParsesReleaseLinesOfSeveralVersions) {
    auto v = parse_blender_version("Blender 3.4.1\n\tbuild date: unknown\n");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->major, 3);
    EXPECT_EQ(v->minor, 4);
    EXPECT_EQ(v->patch, 1);
    EXPECT_EQ(v->text, "3.4.1");
    v = parse_blender_version("Color management: ...\nBlender 4.2.1 LTS\n\tbuild hash: 396f5");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->text, "4.2.1 LTS");
    EXPECT_TRUE(v->at_least(4, 2));
    EXPECT_FALSE(v->at_least(4, 3));
    EXPECT_FALSE(parse_blender_version("command not found"));
}

TEST(BlenderProbe, ReadsTheReport) {
    auto caps = parse_probe_output(
        "Blender 3.4.1\nSPOTFARM_PROBE {\"blender_version\": \"3.4.1\", \"python_version\": "
        "\"3.11.2\", \"engines\": [\"CYCLES\", \"BLENDER_EEVEE\"], \"gpu_backends\": "
        "[{\"type\": \"CUDA\", \"devices\": [\"NVIDIA H200\"]}, {\"type\": \"HIP\", "
        "\"devices\": []}]}\n\nBlender quit\n");
    ASSERT_TRUE(caps.ok()) << caps.error().message;
    EXPECT_EQ(caps->version, "3.4.1");
    EXPECT_EQ(caps->engines.size(), 2u);
    ASSERT_EQ(caps->gpu_backends.size(), 2u);
    EXPECT_EQ(caps->gpu_backends[0].devices.at(0), "NVIDIA H200");
    EXPECT_TRUE(caps->gpu_backends[1].devices.empty());
    EXPECT_FALSE(parse_probe_output("Traceback ...\nError\n").ok());
    EXPECT_FALSE(parse_probe_output("SPOTFARM_PROBE {oops\n").ok());
}

}  // namespace spotfarm::blender
