#include "cli/jobs/submit_request.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/common/commands.h"
#include "core/job.h"
#include "manager/farm_json.h"
#include "store/test_dir.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;

class SubmitRequestTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(dir.path() / "shots");
        std::ofstream(dir.path() / "shots/shot.blend") << "BLENDER";
        args.scene = "shots/shot.blend";
        args.frames = "1-10";
        args.output = "renders/frame_####";
    }

    util::Result<nlohmann::json> build() const { return build_submit_body(args, dir.path()); }

    // The build fails with a usage error whose message holds `words`.
    void expect_refused(const std::string& words) const {
        auto body = build();
        ASSERT_FALSE(body) << body->dump();
        EXPECT_EQ(body.error().kind, util::ErrorKind::invalid);
        EXPECT_NE(body.error().message.find(words), std::string::npos) << body.error().message;
    }

    store::TestDir dir;
    SubmitArgs args;
};

TEST_F(SubmitRequestTest, TheBodyIsAJobTheManagerAccepts) {
    args.chunk = 5;
    args.priority = 70;
    args.name = "shot010";
    auto body = build();
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ((*body)["scene"], (dir.path() / "shots/shot.blend").string());
    EXPECT_EQ((*body)["output"], (dir.path() / "renders/frame_####").string());
    EXPECT_EQ((*body)["frames"], "1-10");
    // Read by the manager's own parser and checked by the domain's rules.
    auto spec = manager::job_spec_from_json(*body);
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_EQ(spec->chunk, 5);
    EXPECT_EQ(spec->priority, 70);
    EXPECT_EQ(spec->name, "shot010");
    auto valid = core::validate(*spec);
    ASSERT_TRUE(valid) << valid.error().message;
    EXPECT_EQ(valid->frames.size(), 10u);
}

TEST_F(SubmitRequestTest, UnsetSettingsAreLeftOut) {
    auto body = build();
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ(body->size(), 3u) << body->dump();
}

TEST_F(SubmitRequestTest, RenderSettingsGoUnderTheWorkersNames) {
    args.device = "optix";
    args.engine = "cycles";
    args.format = "exr";
    args.samples = 16;
    args.resolution = "1920x1080";
    args.percentage = 50;
    args.threads = 0;
    args.frame_timeout_s = 600;
    args.allow_scripts = true;
    args.strict = true;
    auto body = build();
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ((*body)["device"], "OPTIX");
    EXPECT_EQ((*body)["engine"], "CYCLES");
    EXPECT_EQ((*body)["format"], "OPEN_EXR");
    EXPECT_EQ((*body)["samples"], 16);
    EXPECT_EQ((*body)["resolution_x"], 1920);
    EXPECT_EQ((*body)["resolution_y"], 1080);
    EXPECT_EQ((*body)["percentage"], 50);
    EXPECT_EQ((*body)["threads"], 0);
    EXPECT_EQ((*body)["frame_timeout_s"], 600.0);
    EXPECT_EQ((*body)["allow_scripts"], true);
    EXPECT_EQ((*body)["strict"], true);
    EXPECT_FALSE(body->contains("stall_timeout_s"));
    args.device = "GPU";
    EXPECT_EQ((*build())["device"], "gpu");
}

TEST_F(SubmitRequestTest, OutputPathsAreMadeAbsolute) {
    args.output = "//frames/";
    EXPECT_EQ((*build())["output"], (dir.path() / "shots/frames/####").string());
    args.output = "renders/";
    EXPECT_EQ((*build())["output"], (dir.path() / "renders/####").string());
    args.output = "/mnt/renders/shot_";
    EXPECT_EQ((*build())["output"], "/mnt/renders/shot_####");
    // An existing folder named without a trailing '/' is a folder too.
    args.output = "shots";
    EXPECT_EQ((*build())["output"], (dir.path() / "shots/####").string());
}

TEST_F(SubmitRequestTest, FramesAreCheckedAndSentInTheirShortForm) {
    args.frames = "1,2,3,4,10..12";
    EXPECT_EQ((*build())["frames"], "1-4,10-12");
    args.frames = "10-1";
    expect_refused("--frames '10-1'");
    args.frames = "";
    expect_refused("--frames");
}

TEST_F(SubmitRequestTest, SceneMustBeAnExistingFile) {
    args.scene = "shots/missing.blend";
    expect_refused((dir.path() / "shots/missing.blend").string() + " does not exist");
    args.scene = "shots";
    expect_refused("is not a file");
}

TEST_F(SubmitRequestTest, BadOutputsAreRefused) {
    args.output = "../outside/frame_####";
    expect_refused("-o ../outside/frame_####");
    args.output = "";
    expect_refused("-o");
}

TEST_F(SubmitRequestTest, BadSettingsAreRefusedWithTheAcceptedValues) {
    args.device = "tpu";
    expect_refused("OPTIX");
    args.device.clear();
    args.engine = "povray";
    expect_refused("workbench");
    args.engine.clear();
    args.format = "gif";
    expect_refused("--format");
    args.format.clear();
    for (const char* resolution : {"1920", "0x10", "10x", "axb", "70000x10", "10x10x"}) {
        args.resolution = resolution;
        expect_refused("WIDTHxHEIGHT");
    }
    args.resolution.clear();
    args.priority = 101;
    expect_refused("--priority 101 is out of range: give 0 to 100");
    args.priority.reset();
    args.chunk = 0;
    expect_refused("--chunk 0");
    args.chunk.reset();
    args.stall_timeout_s = -1;
    expect_refused("--stall-timeout");
}

}  // namespace
}  // namespace spotfarm::cli
