#include "cli/common/render_flags.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/job.h"
#include "manager/farm_json.h"
#include "protocol/protocol.h"
#include "support/expect_error.h"
#include "support/scratch_dir.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using spotfarm::testing::fails_mentioning;

// `line` parsed by a command that declares `set`; throws what CLI11 throws.
RenderFlags parse(const std::string& line, const RenderFlagSet& set = {}) {
    CLI::App app("test");
    RenderFlags flags;
    add_render_flags(app, flags, set);
    app.parse(line);
    return flags;
}

std::string help(const RenderFlagSet& set = {}) {
    CLI::App app("test");
    RenderFlags flags;
    add_render_flags(app, flags, set);
    return app.help();
}

class RenderFlagsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir.write("shots/shot.blend", "BLENDER");
        flags.scene_file = "shots/shot.blend";
        flags.frames = "1-10";
        flags.output = "renders/frame_####";
    }

    std::string scene() const { return (dir.path() / "shots/shot.blend").string(); }
    util::Result<core::JobSettings> settings() const { return job_settings(flags, dir.path()); }

    // job_settings fails with an error of kind invalid whose message holds `words`.
    void expect_refused(const std::string& words) const {
        auto s = settings();
        ASSERT_FALSE(s.ok()) << "accepted: " << protocol::to_json(*s).dump();
        EXPECT_EQ(s.error().kind, util::ErrorKind::invalid);
        EXPECT_TRUE(fails_mentioning(s, words));
    }

    test::ScratchDir dir;
    RenderFlags flags;
};

TEST(RenderFlagsParse, EveryFlagLandsInItsField) {
    RenderFlags f = parse(
        "shot.blend --frames 1-250 -o out/ -F exr -E cycles --resolution 1280x720 "
        "--percentage 50 --samples 32 --device OPTIX -S Main -t 4 --allow-scripts --strict "
        "--frame-timeout 900 --stall-timeout 60 --chunk 5 --priority 80 --name shot010 "
        "--blender /opt/blender/blender");
    EXPECT_EQ(f.scene_file, "shot.blend");
    EXPECT_EQ(f.frames, std::optional<std::string>("1-250"));
    EXPECT_EQ(f.output, std::optional<std::string>("out/"));
    EXPECT_EQ(f.format, std::optional<std::string>("exr"));
    EXPECT_EQ(f.engine, std::optional<std::string>("cycles"));
    EXPECT_EQ(f.resolution, std::optional<std::string>("1280x720"));
    EXPECT_EQ(f.percentage, std::optional<int>(50));
    EXPECT_EQ(f.samples, std::optional<int>(32));
    EXPECT_EQ(f.device, std::optional<std::string>("OPTIX"));
    EXPECT_EQ(f.scene_name, "Main");
    EXPECT_EQ(f.threads, std::optional<int>(4));
    EXPECT_TRUE(f.allow_scripts);
    EXPECT_TRUE(f.strict);
    EXPECT_EQ(f.frame_timeout_s, std::optional<double>(900));
    EXPECT_EQ(f.stall_timeout_s, std::optional<double>(60));
    EXPECT_EQ(f.chunk, std::optional<int>(5));
    EXPECT_EQ(f.priority, std::optional<int>(80));
    EXPECT_EQ(f.name, "shot010");
    EXPECT_EQ(f.blender, "/opt/blender/blender");
}

TEST(RenderFlagsParse, EachCommandsOldSpellingStillWorks) {
    // render and submit: -f; exec: -E, -S, -t, -F; every command: the long names.
    RenderFlags f = parse(
        "shot.blend -f 3 --output o/ --format png --engine eevee --scene B "
        "--threads 2");
    EXPECT_EQ(f.frames, std::optional<std::string>("3"));
    EXPECT_EQ(f.output, std::optional<std::string>("o/"));
    EXPECT_EQ(f.format, std::optional<std::string>("png"));
    EXPECT_EQ(f.engine, std::optional<std::string>("eevee"));
    EXPECT_EQ(f.scene_name, "B");
    EXPECT_EQ(f.threads, std::optional<int>(2));
}

TEST(RenderFlagsParse, UnsetFlagsStayUnset) {
    RenderFlags f = parse("shot.blend --frames 1 -o out/");
    EXPECT_FALSE(f.format || f.engine || f.resolution || f.device);
    EXPECT_FALSE(f.percentage || f.samples || f.threads || f.chunk || f.priority);
    EXPECT_FALSE(f.frame_timeout_s || f.stall_timeout_s);
    EXPECT_FALSE(f.allow_scripts || f.strict);
}

TEST(RenderFlagsParse, ACommandHasOnlyTheFlagsOfItsSet) {
    const RenderFlagSet exec{
        .frames = Need::optional, .chunk = false, .priority = false, .name = false};
    EXPECT_FALSE(parse("shot.blend -o out/", exec).frames.has_value());
    EXPECT_THROW(parse("shot.blend -o out/ --priority 5", exec), CLI::ExtrasError);
    EXPECT_THROW(parse("shot.blend -o out/ --name x", exec), CLI::ExtrasError);
    const RenderFlagSet estimate{.frames = Need::optional, .output = Need::absent};
    EXPECT_THROW(parse("shot.blend -o out/", estimate), CLI::ExtrasError);
    EXPECT_THROW(parse("shot.blend -f 1 -o o/ --blender b", {.blender = false}), CLI::ExtrasError);
    EXPECT_THROW(parse("shot.blend -f 1 -o o/ --samples 4", {.picture = false}), CLI::ExtrasError);
}

TEST(RenderFlagsParse, RequiredFlagsMustBeGiven) {
    EXPECT_THROW(parse("shot.blend -o out/"), CLI::RequiredError);
    EXPECT_THROW(parse("shot.blend --frames 1"), CLI::RequiredError);
    EXPECT_THROW(parse("--frames 1 -o out/"), CLI::RequiredError);
}

TEST(RenderFlagsParse, TheHelpStatesTheDefaultsTheWorkersApply) {
    const std::string text = help();
    EXPECT_NE(text.find("(default: auto)"), std::string::npos) << text;
    EXPECT_NE(text.find("(default 600; 0: never)"), std::string::npos) << text;
    EXPECT_NE(text.find("(default 50)"), std::string::npos) << text;
    EXPECT_NE(text.find("Render settings"), std::string::npos) << text;
    EXPECT_NE(help({.frames = Need::optional}).find("(default: the scene's range)"),
              std::string::npos);
}

TEST_F(RenderFlagsTest, OnlyTheSceneAndOutputAreSetWhenNothingElseIsGiven) {
    auto s = settings();
    ASSERT_TRUE(s.ok()) << s.error().message;
    core::JobSettings expected;
    expected.scene = scene();
    expected.output = (dir.path() / "renders/frame_####").string();
    EXPECT_EQ(*s, expected);
}

TEST_F(RenderFlagsTest, SettingsGoUnderTheNamesWorkersTake) {
    flags.device = "optix";
    flags.engine = "cycles";
    flags.format = "exr";
    flags.samples = 16;
    flags.resolution = "1920x1080";
    flags.percentage = 50;
    flags.threads = 0;
    flags.scene_name = "Main";
    flags.frame_timeout_s = 600;
    flags.stall_timeout_s = 0;
    flags.allow_scripts = true;
    flags.strict = true;
    auto s = settings();
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->device, std::optional<std::string>("OPTIX"));
    EXPECT_EQ(s->engine, std::optional<std::string>("CYCLES"));
    EXPECT_EQ(s->format, std::optional<std::string>("OPEN_EXR"));
    EXPECT_EQ(s->samples, std::optional<int>(16));
    EXPECT_EQ(s->resolution_x, std::optional<int>(1920));
    EXPECT_EQ(s->resolution_y, std::optional<int>(1080));
    EXPECT_EQ(s->percentage, std::optional<int>(50));
    EXPECT_EQ(s->threads, std::optional<int>(0));
    EXPECT_EQ(s->scene_name, std::optional<std::string>("Main"));
    EXPECT_EQ(s->frame_timeout_s, std::optional<double>(600));
    EXPECT_EQ(s->stall_timeout_s, std::optional<double>(0));
    EXPECT_EQ(s->allow_scripts, std::optional<bool>(true));
    EXPECT_EQ(s->strict, std::optional<bool>(true));
    flags.device = "GPU";
    EXPECT_EQ(settings()->device, std::optional<std::string>("gpu"));
}

TEST_F(RenderFlagsTest, PathsAreMadeAbsolute) {
    auto output = [this](const std::string& typed) {
        flags.output = typed;
        auto s = settings();
        EXPECT_TRUE(s.ok()) << s.error().message;
        return s.ok() ? s->output.value_or("") : "";
    };
    EXPECT_EQ(output("//frames/"), (dir.path() / "shots/frames/####").string());
    EXPECT_EQ(output("renders/"), (dir.path() / "renders/####").string());
    EXPECT_EQ(output("/mnt/renders/shot_"), "/mnt/renders/shot_####");
    // An existing folder named without a trailing '/' is a folder too.
    EXPECT_EQ(output("shots"), (dir.path() / "shots/####").string());
    flags.scene_file = "shots/../shots/shot.blend";
    EXPECT_EQ(settings()->scene, scene());
    flags.output.reset();
    EXPECT_FALSE(settings()->output.has_value());
}

TEST_F(RenderFlagsTest, TheSceneMustBeAReadableFile) {
    flags.scene_file = "shots/missing.blend";
    expect_refused("scene file not found: " + (dir.path() / "shots/missing.blend").string());
    flags.scene_file = "shots";
    expect_refused("is a folder");
    flags.scene_file = "";
    expect_refused("give the .blend file");
}

TEST_F(RenderFlagsTest, BadValuesAreRefusedNamingTheFlag) {
    const std::vector<std::pair<std::function<void(RenderFlags&)>, std::string>> cases{
        {[](RenderFlags& f) { f.device = "tpu"; }, "unknown --device \"tpu\""},
        {[](RenderFlags& f) { f.device = ""; }, "unknown --device"},
        {[](RenderFlags& f) { f.engine = "povray"; }, "unknown --engine"},
        {[](RenderFlags& f) { f.format = "gif"; }, "bad --format"},
        {[](RenderFlags& f) { f.resolution = "1920"; }, "--resolution"},
        {[](RenderFlags& f) { f.resolution = "70000x10"; }, "WIDTHxHEIGHT"},
        {[](RenderFlags& f) { f.output = "../outside/frame_####"; }, "-o ../outside/frame_####"},
        {[](RenderFlags& f) { f.output = ""; }, "-o "},
        {[](RenderFlags& f) { f.samples = 0; }, "--samples 0 is out of range: give 1 to"},
        {[](RenderFlags& f) { f.percentage = 0; }, "--percentage 0 is out of range"},
        {[](RenderFlags& f) { f.percentage = 40000; }, "--percentage 40000 is out of range"},
        {[](RenderFlags& f) { f.threads = -1; }, "--threads -1 is out of range"},
        {[](RenderFlags& f) { f.frame_timeout_s = -1; }, "--frame-timeout -1"},
        {[](RenderFlags& f) { f.stall_timeout_s = -0.5; }, "--stall-timeout -0.5"},
        {[](RenderFlags& f) { f.chunk = 0; }, "--chunk 0 is out of range: give 1 to 100000"},
        {[](RenderFlags& f) { f.priority = 101; }, "--priority 101 is out of range: give 0 to 100"},
    };
    for (const auto& [spoil, words] : cases) {
        SCOPED_TRACE(words);
        RenderFlags good = flags;
        spoil(flags);
        expect_refused(words);
        flags = good;
    }
    ASSERT_TRUE(settings().ok());
}

TEST_F(RenderFlagsTest, WhatIsAcceptedAWorkerAcceptsToo) {
    // The largest values the flags take, read back by the workers' reader.
    flags.samples = 1 << 24;
    flags.percentage = 32767;
    flags.threads = 1 << 16;
    flags.resolution = "65536x65536";
    auto s = settings();
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto read = protocol::from_json<core::JobSettings>(protocol::to_json(*s));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, *s);
    flags.samples = 1;
    flags.percentage = 1;
    flags.threads = 0;
    flags.resolution = "1x1";
    read = protocol::from_json<core::JobSettings>(protocol::to_json(*settings()));
    EXPECT_TRUE(read.ok()) << read.error().message;
}

TEST_F(RenderFlagsTest, FramesAreCheckedOrLeftToTheScene) {
    flags.frames = "1,2,3,4,10..12";
    auto frames = job_frames(flags);
    ASSERT_TRUE(frames.ok()) << frames.error().message;
    ASSERT_TRUE(frames->has_value());
    EXPECT_EQ((*frames)->to_string(), "1-4,10-12");
    flags.frames.reset();
    ASSERT_TRUE(job_frames(flags).ok());
    EXPECT_FALSE(job_frames(flags)->has_value());
    for (const char* bad : {"10-1", "", "abc", "-3"}) {
        flags.frames = bad;
        auto refused = job_frames(flags);
        EXPECT_TRUE(fails_mentioning(refused, "bad --frames '" + std::string(bad) + "'"));
        EXPECT_EQ(refused.error().kind, util::ErrorKind::invalid);
    }
}

TEST_F(RenderFlagsTest, TheSubmissionIsAJobTheManagerAccepts) {
    flags.chunk = 5;
    flags.priority = 70;
    flags.name = "shot010";
    flags.samples = 64;
    auto job = job_submission(flags, dir.path());
    ASSERT_TRUE(job.ok()) << job.error().message;
    EXPECT_EQ(job->frames.size(), 10u);
    EXPECT_EQ(job->settings, *settings());
    const nlohmann::json body = protocol::to_json(*job);
    // Read by the manager's own parsers and checked by the domain's rules.
    auto spec = manager::job_spec_from_json(body);
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    EXPECT_EQ(spec->scene, scene());
    EXPECT_EQ(spec->frames, "1-10");
    EXPECT_EQ(spec->chunk, 5);
    EXPECT_EQ(spec->priority, 70);
    EXPECT_EQ(spec->name, "shot010");
    auto valid = core::validate(*spec);
    ASSERT_TRUE(valid.ok()) << valid.error().message;
    auto read = protocol::from_json<protocol::JobSubmission>(body);
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, *job);
}

TEST_F(RenderFlagsTest, ASubmissionNeedsFramesAndAnOutput) {
    flags.frames.reset();
    EXPECT_TRUE(fails_mentioning(job_submission(flags, dir.path()), "--frames"));
    flags.frames = "1-3";
    flags.output.reset();
    EXPECT_TRUE(fails_mentioning(job_submission(flags, dir.path()), "-o"));
    flags.output = "out/";
    flags.frames = "3-1";
    EXPECT_TRUE(fails_mentioning(job_submission(flags, dir.path()), "bad --frames '3-1'"));
}

}  // namespace
}  // namespace spotfarm::cli
