#include "estimate/live_eta.h"

#include <gtest/gtest.h>

namespace spotfarm::estimate {
namespace {

FrameSet frame_range(int first, int last) {
    std::vector<int> v;
    for (int f = first; f <= last; ++f) v.push_back(f);
    return FrameSet::from_frames(v);
}

FrameTimes constant(int first, int last, double seconds) {
    FrameTimes t;
    for (int f = first; f <= last; ++f) t[f] = seconds;
    return t;
}

TEST(LiveEta, NothingDoneOrNothingLeft) {
    EXPECT_FALSE(live_eta_seconds({}, frame_range(1, 10), 4).has_value());
    EXPECT_EQ(live_eta_seconds(constant(1, 10, 5), FrameSet{}, 4), 0.0);
}

TEST(LiveEta, SteadyFramesSpreadOverWorkers) {
    EXPECT_NEAR(live_eta_seconds(constant(1, 20, 10), frame_range(21, 120), 10).value_or(-1), 100,
                1e-9);
    EXPECT_NEAR(live_eta_seconds(constant(1, 20, 10), frame_range(21, 25), 10).value_or(-1), 10,
                1e-9);
    EXPECT_NEAR(live_eta_seconds(constant(1, 20, 10), frame_range(21, 23), 0).value_or(-1), 30,
                1e-9);
}

TEST(LiveEta, NeighboursWeighMoreThanTheAverage) {
    // Cheap frames done at the start, expensive ones at the end; what is left sits next to the
    // cheap ones.
    FrameTimes done = constant(1, 40, 10);
    for (auto [f, s] : constant(61, 100, 50)) done[f] = s;
    const auto predicted = predict_frame_seconds(done, frame_range(41, 60));
    EXPECT_LT(predicted.front(), 15);
    EXPECT_GT(predicted.back(), 45);
    EXPECT_NEAR(predicted[9] + predicted[10], 60, 1e-6);  // symmetric around the middle
    const double eta = live_eta_seconds(done, frame_range(41, 45), 1).value_or(-1);
    EXPECT_GT(eta, 50);
    EXPECT_LT(eta, 100);  // a plain average of 30 s would say 150
}

TEST(LiveEta, FollowsTheLocalLevelInsideGaps) {
    FrameTimes done;
    for (int f = 0; f <= 1000; f += 10) done[f] = f < 500 ? 5 : 40;
    const auto predicted = predict_frame_seconds(done, FrameSet::from_frames({105, 895}));
    EXPECT_NEAR(predicted[0], 5, 0.5);
    EXPECT_NEAR(predicted[1], 40, 0.5);
}

TEST(LiveEta, RunningFramesCountWhatTheyHaveLeft) {
    const FrameTimes done = constant(1, 9, 10);
    const std::vector<RunningFrame> running{{10, 4}};
    EXPECT_NEAR(live_eta_seconds(done, frame_range(10, 11), 1, running).value_or(-1), 16, 1e-9);
    // Two workers: the running frame on one, frame 11 on the other.
    EXPECT_NEAR(live_eta_seconds(done, frame_range(10, 11), 2, running).value_or(-1), 10, 1e-9);
    // A frame already over its prediction is counted as about to finish.
    const std::vector<RunningFrame> late{{10, 30}};
    EXPECT_NEAR(live_eta_seconds(done, frame_range(10, 11), 1, late).value_or(-1), 10, 1e-9);
    // Running frames that are not in the set left are ignored.
    const std::vector<RunningFrame> stray{{99, 3}};
    EXPECT_NEAR(live_eta_seconds(done, frame_range(10, 11), 1, stray).value_or(-1), 20, 1e-9);
}

TEST(LiveEta, MoreRunningThanWorkersQueue) {
    const FrameTimes done = constant(1, 9, 10);
    const std::vector<RunningFrame> running{{10, 5}, {11, 5}};
    EXPECT_NEAR(live_eta_seconds(done, frame_range(10, 11), 1, running).value_or(-1), 10, 1e-9);
}

TEST(PacedEta, AgreesWithTheRateOnceAFewFramesAreDone) {
    // 41 of 120 frames in 2.5625 s (16 frames/s), each 0.5 s of render time: 79 frames left at
    // 16 frames/s is 4.94 s, whatever the worker count or the time around each render call.
    const double elapsed = 41.0 / 16.0;
    const auto eta = paced_eta_seconds(elapsed, 41, 41 * 0.5, 79 * 0.5);
    ASSERT_TRUE(eta.has_value());
    EXPECT_NEAR(*eta, 79.0 / 16.0, 1e-9);
    // The per-frame model alone, with the one task it saw in flight, said far more.
    EXPECT_GT(live_eta_seconds(constant(1, 41, 0.5), frame_range(42, 120), 1).value_or(0),
              4 * *eta);
}

TEST(PacedEta, ACostlierStretchAheadTakesProportionallyLonger) {
    // 20 frames of 1 s done in 10 s; what is left is predicted at 60 s of render time.
    EXPECT_NEAR(paced_eta_seconds(10, 20, 20, 60).value_or(-1), 30, 1e-9);
    EXPECT_NEAR(paced_eta_seconds(10, 20, 20, 0).value_or(-1), 0, 1e-9);
}

TEST(PacedEta, NoPaceBeforeAFewFrames) {
    EXPECT_FALSE(paced_eta_seconds(10, k_paced_after_frames - 1, 4, 100).has_value());
    EXPECT_FALSE(paced_eta_seconds(0, 10, 4, 100).has_value());
    EXPECT_FALSE(paced_eta_seconds(10, 10, 0, 100).has_value());
    EXPECT_TRUE(paced_eta_seconds(10, k_paced_after_frames, 4, 100).has_value());
}

}  // namespace
}  // namespace spotfarm::estimate
