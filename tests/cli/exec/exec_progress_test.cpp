#include "cli/exec/exec_progress.h"

#include <cstdio>

#include <gtest/gtest.h>

#include "estimate/live_eta.h"

namespace spotfarm::cli {
namespace {

blender::FrameRecord rendered(int frame, double wall) {
    return {frame, blender::FrameOutcome::rendered, "f.png", wall * 0.9, wall, ""};
}

class ExecProgressTest : public ::testing::Test {
protected:
    void SetUp() override { m_out = std::tmpfile(); }
    void TearDown() override { std::fclose(m_out); }
    std::FILE* m_out = nullptr;
    util::FakeClock m_clock;
};

TEST_F(ExecProgressTest, NoEtaBeforeTheFirstFrameIsDone) {
    ExecProgress progress(m_out, false, m_clock);
    progress.plan("rendering", {1, 2, 3});
    progress.frame_started(1);
    EXPECT_FALSE(progress.eta_seconds().has_value());
}

TEST_F(ExecProgressTest, EtaPredictsFramesLeftFromTheirNeighboursAndTheRunningFrame) {
    ExecProgress progress(m_out, false, m_clock);
    progress.plan("rendering", {4, 3, 2, 1});
    progress.frame_started(1);
    m_clock.advance(std::chrono::seconds(2));
    progress.frame_done(rendered(1, 2));
    progress.frame_started(2);
    m_clock.advance(std::chrono::seconds(4));
    progress.frame_done(rendered(2, 4));
    progress.frame_started(3);
    m_clock.advance(std::chrono::seconds(1));

    const estimate::FrameTimes done{{1, 2.0}, {2, 4.0}};
    const auto predicted = estimate::predict_frame_seconds(done, *core::FrameSet::parse("3-4"));
    auto eta = progress.eta_seconds();
    ASSERT_TRUE(eta.has_value());
    // Frame 3 has run 1 s of its predicted time; frame 4 follows it.
    EXPECT_NEAR(*eta, predicted[0] - 1 + predicted[1], 1e-9);
    // Rising times: more than a plain average of 3 s per frame would say.
    EXPECT_GT(*eta, 2 * 3.0 - 1);
}

TEST_F(ExecProgressTest, FailedFramesAreNotWaitedFor) {
    ExecProgress progress(m_out, false, m_clock);
    progress.plan("rendering", {1, 2});
    progress.frame_started(1);
    progress.frame_done(rendered(1, 3));
    progress.frame_started(2);
    progress.frame_done({2, blender::FrameOutcome::failed, "f.png", 0, 1, "boom"});
    auto eta = progress.eta_seconds();
    ASSERT_TRUE(eta.has_value());
    EXPECT_EQ(*eta, 0.0);
}

}  // namespace
}  // namespace spotfarm::cli
