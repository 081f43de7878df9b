// BlenderRenderer against the stand-in Blender (tests/data/fake_blender.py): real processes and
// pipes, no Blender start-up cost.
#include "worker/blender_renderer.h"

#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class BlenderRendererTest : public ::testing::Test {
protected:
    // The fake's behaviour is its ".blend".
    core::JobSettings job(nlohmann::json spec) {
        spec["starts_file"] = (dir / "starts.txt").string();
        std::ofstream(dir / "scene.json") << spec.dump();
        core::JobSettings settings;
        settings.scene = (dir / "scene.json").string();
        settings.output = (dir / "out" / "frame_####").string();
        settings.stall_timeout_s = 5;
        return settings;
    }
    int starts() const {
        std::ifstream in(dir / "starts.txt");
        return int(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
    }
    // Callbacks that record and answer `answer(progress)`.
    RenderCallbacks callbacks(std::function<RenderCommand(const RenderProgress&)> answer = {}) {
        return RenderCallbacks{
            [this, answer](const RenderProgress& p) {
                calls.push_back(std::chrono::steady_clock::now());
                progress.push_back(p);
                return answer ? answer(p) : RenderCommand::keep_going;
            },
            [this](const protocol::FrameReport& f) { done.push_back(f.frame); },
        };
    }

    test::ScratchDir scratch;
    const fs::path& dir = scratch.path();
    BlenderRenderer renderer{BlenderRendererOptions{SPOTFARM_TEST_DATA "/fake_blender.py"}};
    std::vector<std::chrono::steady_clock::time_point> calls;
    std::vector<RenderProgress> progress;
    std::vector<int> done;
};

TEST_F(BlenderRendererTest, RendersFramesIntoPlaceAndKeepsTheJobsSceneWarm) {
    auto settings = job({});
    auto first = renderer.render(7, settings, {1, 2}, callbacks());
    ASSERT_EQ(first.end, RenderEnd::finished) << first.error;
    ASSERT_EQ(first.frames.size(), 2u);
    EXPECT_EQ(first.frames[0].output, (dir / "out" / "frame_0001.png").string());
    EXPECT_TRUE(fs::exists(dir / "out" / "frame_0002.png"));
    EXPECT_DOUBLE_EQ(first.frames[1].render_seconds, 0.25);
    EXPECT_EQ(done, (std::vector<int>{1, 2}));
    EXPECT_EQ(renderer.warm_job(), std::optional<std::int64_t>(7));

    auto second = renderer.render(7, settings, {3}, callbacks());
    ASSERT_EQ(second.end, RenderEnd::finished) << second.error;
    EXPECT_EQ(starts(), 1);  // the same Blender

    auto other = renderer.render(8, settings, {4}, callbacks());
    ASSERT_EQ(other.end, RenderEnd::finished) << other.error;
    EXPECT_EQ(starts(), 2);  // another job: a fresh Blender
    EXPECT_EQ(renderer.warm_job(), std::optional<std::int64_t>(8));
}

TEST_F(BlenderRendererTest, PreloadedSceneRendersTheFirstTaskWithTheSameSettings) {
    auto settings = job({{"load_seconds", 2}});
    const auto before = std::chrono::steady_clock::now();
    ASSERT_TRUE(renderer.preload(settings).ok());
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);  // the 2 s load is not waited for
    EXPECT_EQ(renderer.warm_job(), std::nullopt);              // no job known yet

    auto outcome = renderer.render(7, settings, {1, 2}, callbacks());
    ASSERT_EQ(outcome.end, RenderEnd::finished) << outcome.error;
    EXPECT_EQ(done, (std::vector<int>{1, 2}));
    EXPECT_EQ(starts(), 1);  // the preloaded Blender
    EXPECT_EQ(renderer.warm_job(), std::optional<std::int64_t>(7));
}

TEST_F(BlenderRendererTest, PreloadWithOtherSettingsIsReplacedByTheFirstTask) {
    auto preloaded = job({});
    preloaded.samples = 8;
    ASSERT_TRUE(renderer.preload(preloaded).ok());
    for (int i = 0; i < 100 && starts() == 0; ++i) std::this_thread::sleep_for(50ms);
    ASSERT_EQ(starts(), 1);

    auto outcome = renderer.render(7, job({}), {1}, callbacks());
    ASSERT_EQ(outcome.end, RenderEnd::finished) << outcome.error;
    EXPECT_EQ(starts(), 2);  // a Blender with the task's settings
}

TEST_F(BlenderRendererTest, PreloadedSceneThatCannotLoadFailsTheFirstTask) {
    auto settings = job({{"open_error", "Failed to read blend file: Missing DNA block"}});
    ASSERT_TRUE(renderer.preload(settings).ok());
    auto outcome = renderer.render(7, settings, {1}, callbacks());
    EXPECT_EQ(outcome.end, RenderEnd::failed);
    EXPECT_NE(outcome.error.find("Missing DNA block"), std::string::npos) << outcome.error;
    EXPECT_EQ(renderer.warm_job(), std::nullopt);
}

TEST_F(BlenderRendererTest, ReportsProgressAtLeastOnceASecond) {
    auto outcome = renderer.render(7, job({{"frames", {{"2", "slow"}}}}), {1, 2}, callbacks());
    ASSERT_EQ(outcome.end, RenderEnd::finished) << outcome.error;
    ASSERT_GE(calls.size(), 3u);
    for (std::size_t i = 1; i < calls.size(); ++i) {
        EXPECT_LE(calls[i] - calls[i - 1], 1200ms) << "between progress calls " << i;
    }
    std::string log;
    for (const auto& p : progress) log += p.log;
    EXPECT_NE(log.find("Fra:2"), std::string::npos);
    EXPECT_TRUE(std::any_of(progress.begin(), progress.end(), [](const RenderProgress& p) {
        return p.frame == 2 && p.sample == 1 && p.samples_total == 2;
    }));
}

TEST_F(BlenderRendererTest, StopNowAbandonsTheFrameAtOnce) {
    auto settings = job({{"frames", {{"2", "slow"}}}});
    std::optional<std::chrono::steady_clock::time_point> stop_said;
    auto outcome = renderer.render(7, settings, {1, 2, 3}, callbacks([&](const RenderProgress& p) {
                                       if (p.frame != 2) return RenderCommand::keep_going;
                                       if (!stop_said) stop_said = std::chrono::steady_clock::now();
                                       return RenderCommand::stop_now;
                                   }));
    EXPECT_EQ(outcome.end, RenderEnd::stopped);
    EXPECT_EQ(done, std::vector<int>{1});
    ASSERT_TRUE(stop_said.has_value());
    // The slow frame would take 3 s more.
    EXPECT_LT(std::chrono::steady_clock::now() - *stop_said, 1500ms);
    EXPECT_FALSE(fs::exists(dir / "out" / "frame_0002.png"));
    EXPECT_FALSE(renderer.warm_job().has_value());  // that Blender was killed
}

TEST_F(BlenderRendererTest, FinishFrameEndsAfterTheFrameInProgress) {
    auto settings = job({{"frames", {{"1", "slow"}}}});
    auto outcome = renderer.render(7, settings, {1, 2, 3}, callbacks([](const RenderProgress& p) {
                                       return p.frame == 1 ? RenderCommand::finish_frame
                                                           : RenderCommand::keep_going;
                                   }));
    EXPECT_EQ(outcome.end, RenderEnd::stopped);
    EXPECT_EQ(done, std::vector<int>{1});
    EXPECT_TRUE(fs::exists(dir / "out" / "frame_0001.png"));
    EXPECT_FALSE(fs::exists(dir / "out" / "frame_0002.png"));
}

TEST_F(BlenderRendererTest, FailedFrameSaysWhyWithTheFramesBeforeIt) {
    auto outcome = renderer.render(7, job({{"frames", {{"2", "error"}}}}), {1, 2, 3}, callbacks());
    EXPECT_EQ(outcome.end, RenderEnd::failed);
    EXPECT_NE(outcome.error.find("OpenImageDenoiser"), std::string::npos) << outcome.error;
    EXPECT_FALSE(outcome.log_tail.empty());
    ASSERT_EQ(outcome.frames.size(), 1u);
    EXPECT_EQ(outcome.frames[0].frame, 1);
}

TEST_F(BlenderRendererTest, SceneThatDoesNotOpenFailsTheTask) {
    auto outcome =
        renderer.render(7, job({{"open_error", "File format is not supported"}}), {1}, callbacks());
    EXPECT_EQ(outcome.end, RenderEnd::failed);
    EXPECT_NE(outcome.error.find("not supported"), std::string::npos) << outcome.error;
    EXPECT_FALSE(renderer.warm_job().has_value());
}

TEST_F(BlenderRendererTest, JobWithoutOutputPathFails) {
    auto settings = job({});
    settings.output.reset();
    auto outcome = renderer.render(7, settings, {1}, callbacks());
    EXPECT_EQ(outcome.end, RenderEnd::failed);
    EXPECT_NE(outcome.error.find("output"), std::string::npos);
}

TEST(SessionOptions, FollowTheJobsSettings) {
    core::JobSettings job;
    job.scene = "/s.blend";
    job.samples = 16;
    job.resolution_x = 320;
    job.frame_timeout_s = 90;
    job.allow_scripts = true;
    auto o = session_options(BlenderRendererOptions{"/usr/bin/blender", 50, 4096}, job);
    EXPECT_EQ(o.launch.blender, "/usr/bin/blender");
    EXPECT_EQ(o.launch.scene_file, "/s.blend");
    EXPECT_TRUE(o.launch.allow_scripts);
    EXPECT_EQ(o.render.samples, 16);
    EXPECT_EQ(o.render.width, 320);
    EXPECT_EQ(o.render.height, 0);  // as the scene says
    EXPECT_EQ(o.render.device, "auto");
    EXPECT_EQ(o.limits.frame_limit, 90s);
    EXPECT_EQ(o.restart_every, 50);
    EXPECT_FALSE(o.strict);
}

}  // namespace
}  // namespace spotfarm::worker
