// run_frames against the stand-in Blender (tests/data/fake_blender.py).
#include "blender/frame_run.h"

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

class FrameRunTest : public ::testing::Test {
protected:
    FrameRunOptions options(nlohmann::json spec, const std::string& frames) {
        spec["starts_file"] = (m_dir / "starts.txt").string();
        std::ofstream(m_dir / "scene.json") << spec.dump();
        fs::create_directories(m_dir / "out");
        FrameRunOptions o;
        o.session.launch.blender = SPOTFARM_TEST_DATA "/fake_blender.py";
        o.session.launch.scene_file = m_dir / "scene.json";
        o.output_pattern = (m_dir / "out" / "f_##").string();
        if (!frames.empty()) o.frames = core::FrameSet::parse(frames).value();
        return o;
    }
    FrameRunObserver observer() {
        FrameRunObserver o;
        o.on_notice = [this](const std::string& n) { m_notices.push_back(n); };
        return o;
    }
    int starts() const {
        std::ifstream in(m_dir / "starts.txt");
        std::string line;
        int n = 0;
        while (std::getline(in, line)) ++n;
        return n;
    }
    std::vector<FrameOutcome> outcomes(const FrameRunResult& r) const {
        std::vector<FrameOutcome> out;
        for (const auto& f : r.frames) out.push_back(f.outcome);
        return out;
    }

    test::ScratchDir m_scratch;
    const fs::path& m_dir = m_scratch.path();
    std::vector<std::string> m_notices;
};

using O = FrameOutcome;

}  // namespace

TEST_F(FrameRunTest, RendersEveryFrameThenSkipsThemOnTheNextRun) {
    auto o = options({}, "1-3");
    auto first = run_frames(o, observer());
    EXPECT_EQ(first.exit_code, 0) << first.fatal_error;
    EXPECT_EQ(outcomes(first), (std::vector<O>{O::rendered, O::rendered, O::rendered}));
    EXPECT_EQ(first.header.output_pattern, (m_dir / "out" / "f_##.png").string());
    EXPECT_EQ(test::list_dir(m_dir / "out"),
              (std::vector<std::string>{"f_01.png", "f_02.png", "f_03.png"}));

    // A damaged file is rendered again; valid ones are left alone.
    std::ofstream(m_dir / "out" / "f_02.png") << "half a frame";
    auto again = run_frames(o, observer());
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_EQ(outcomes(again), (std::vector<O>{O::skipped, O::rendered, O::skipped}));
    EXPECT_GT(fs::file_size(m_dir / "out" / "f_02.png"), 20u);
    ASSERT_FALSE(m_notices.empty());
    EXPECT_NE(m_notices.back().find("not valid"), std::string::npos);

    o.overwrite = true;
    auto forced = run_frames(o, observer());
    EXPECT_EQ(outcomes(forced), (std::vector<O>{O::rendered, O::rendered, O::rendered}));
}

TEST_F(FrameRunTest, FailedFramesMakeExitCodeOneAndTheRestStillRender) {
    auto r = run_frames(options({{"frames", {{"2", "garbage"}}}}, "1-3"), observer());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(outcomes(r), (std::vector<O>{O::rendered, O::failed, O::rendered}));
    EXPECT_NE(r.frames[1].error.find("not a valid frame"), std::string::npos);
    EXPECT_EQ(r.header.processes, 1);
}

TEST_F(FrameRunTest, ProcessPerChunkStartsAFreshBlenderForEachChunk) {
    auto o = options({}, "1-5");
    o.process_per_chunk = true;
    o.chunk = 2;
    auto r = run_frames(o, observer());
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(starts(), 3);
    EXPECT_EQ(r.header.processes, 3);
}

TEST_F(FrameRunTest, WithoutFramesTheScenesRangeIsRendered) {
    auto r = run_frames(options({}, ""), observer());  // the stand-in's scene says 1-10
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.frames.size(), 10u);
    EXPECT_EQ(r.frames.back().frame, 10);
}

TEST_F(FrameRunTest, ASceneThatCannotLoadIsBadInputAndNothingIsTried) {
    auto r =
        run_frames(options({{"open_error", "File format is not supported"}}, "1-3"), observer());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.frames.empty());
    EXPECT_NE(r.fatal_error.find("File format is not supported"), std::string::npos);
}

TEST_F(FrameRunTest, InterruptStopsAtTheRunningFrame) {
    bool stop = false;
    auto obs = observer();
    obs.on_progress = [&](int frame, const ProgressEvent&) { stop = frame == 2; };
    obs.should_stop = [&] { return stop; };
    auto r = run_frames(options({{"frames", {{"2", "hang"}}}}, "1-4"), obs);
    EXPECT_EQ(r.exit_code, 130);
    EXPECT_TRUE(r.header.interrupted);
    EXPECT_EQ(outcomes(r), (std::vector<O>{O::rendered, O::failed}));
    EXPECT_EQ(test::list_dir(m_dir / "out"), (std::vector<std::string>{"f_01.png"}));
}

}  // namespace spotfarm::blender
