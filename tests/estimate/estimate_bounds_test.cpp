// Intervals that can be: never below what the samples took, and adaptive sampling that finds a
// sudden expensive stretch between samples.
#include <numeric>

#include <gtest/gtest.h>

#include "estimate/estimate.h"

namespace spotfarm::estimate {
namespace {

FrameSet range(int first, int last) {
    std::vector<int> v;
    for (int f = first; f <= last; ++f) v.push_back(f);
    return FrameSet::from_frames(v);
}

// 24 frames, cheap except an expensive stretch in the middle (the shape of the scene).
double heavy_middle(int frame) {
    return frame >= 10 && frame <= 15 ? 1.0 : 0.1;
}

FrameTimes times_of(const std::vector<int>& frames, double (*truth)(int)) {
    FrameTimes t;
    for (int f : frames) t[f] = truth(f);
    return t;
}

double measured_in(const FrameSet& frames, const FrameTimes& samples) {
    double sum = 0;
    for (const auto& [frame, seconds] : samples) sum += frames.contains(frame) ? seconds : 0;
    return sum;
}

// Samples as `spotfarm estimate` takes them: spread evenly, then refined until nothing differs a
// lot or `extra` more frames were spent.
FrameTimes sample_adaptively(const FrameSet& frames, std::size_t n, std::size_t extra,
                             double (*truth)(int)) {
    FrameTimes samples = times_of(choose_sample_frames(frames, n), truth);
    while (extra > 0) {
        const auto more = refine_sample_frames(frames, samples, extra);
        if (more.empty()) break;
        for (int f : more) {
            EXPECT_FALSE(samples.count(f)) << "frame " << f << " sampled twice";
            samples[f] = truth(f);
        }
        extra -= more.size();
    }
    return samples;
}

TEST(EstimateBounds, LowEndIsNeverBelowWhatTheSamplesTook) {
    const FrameSet frames = range(1, 24);
    const FrameTimes samples = times_of(choose_sample_frames(frames, 5), heavy_middle);
    auto e = estimate_render_time(frames, samples, 0.9);
    ASSERT_TRUE(e.ok()) << e.error().message;
    ASSERT_TRUE(e->interval_known);
    const double measured = measured_in(frames, samples);
    EXPECT_GT(measured, 0.9);
    EXPECT_GE(e->low_seconds, measured - 1e-12);
    EXPECT_GE(e->high_seconds, e->low_seconds);
}

TEST(EstimateBounds, LowEndCountsTheCheapestPossibleRest) {
    const FrameSet frames = range(1, 24);
    const FrameTimes samples = times_of(choose_sample_frames(frames, 5), heavy_middle);
    auto e = estimate_render_time(frames, samples, 0.9, 0.08);
    ASSERT_TRUE(e.ok());
    const double floor = measured_in(frames, samples) + 0.08 * double(24 - samples.size());
    EXPECT_GE(e->low_seconds, floor - 1e-12);
    EXPECT_LE(e->low_seconds, e->total_seconds);
}

TEST(EstimateBounds, SamplesOutsideTheSetDoNotRaiseTheFloor) {
    FrameTimes samples{{1, 100.0}, {50, 1.0}, {100, 1.0}};
    auto e = estimate_render_time(range(40, 60), samples, 0.9);
    ASSERT_TRUE(e.ok());
    EXPECT_LT(e->low_seconds, 100.0);
}

TEST(RefineSampleFrames, NothingWhereNeighboursAgree) {
    const FrameSet frames = range(1, 100);
    FrameTimes steady;
    for (int f : choose_sample_frames(frames, 10)) steady[f] = 5.0 + 0.01 * f;
    EXPECT_TRUE(refine_sample_frames(frames, steady, 10).empty());
    // Tiny times that differ by a large factor but a few milliseconds are timing noise.
    EXPECT_TRUE(refine_sample_frames(frames, {{1, 0.01}, {50, 0.04}}, 10).empty());
}

TEST(RefineSampleFrames, SplitsTheGapsAroundAJumpLargestFirstAndBounded) {
    const FrameSet frames = range(1, 24);
    const FrameTimes samples = times_of(choose_sample_frames(frames, 5), heavy_middle);
    // Samples 1, 7, 13, 18, 24 at 0.1, 0.1, 1.0, 0.1, 0.1: the gaps 7-13 and 13-18 jump.
    ASSERT_EQ(samples.size(), 5u);
    EXPECT_EQ(refine_sample_frames(frames, samples, 5), (std::vector<int>{10, 15}));
    EXPECT_EQ(refine_sample_frames(frames, samples, 1), (std::vector<int>{10}));
    EXPECT_TRUE(refine_sample_frames(frames, samples, 0).empty());
    // Adjacent samples leave nothing to split.
    EXPECT_TRUE(refine_sample_frames(range(1, 2), {{1, 0.1}, {2, 9.0}}, 3).empty());
}

TEST(RefineSampleFrames, AHeavyStretchGetsANarrowIntervalAroundTheTruth) {
    const FrameSet frames = range(1, 24);
    double truth = 0;
    for (int f : frames.frames()) truth += heavy_middle(f);
    auto plain =
        estimate_render_time(frames, times_of(choose_sample_frames(frames, 5), heavy_middle));
    const FrameTimes refined_samples = sample_adaptively(frames, 5, 5, heavy_middle);
    EXPECT_LE(refined_samples.size(), 10u);
    auto refined = estimate_render_time(frames, refined_samples);
    ASSERT_TRUE(plain.ok() && refined.ok());
    EXPECT_LE(refined->low_seconds, truth);
    EXPECT_GE(refined->high_seconds, truth);
    EXPECT_NEAR(refined->total_seconds, truth, 0.05 * truth);
    EXPECT_GT(std::abs(plain->total_seconds - truth), std::abs(refined->total_seconds - truth));
    EXPECT_LT(refined->high_seconds - refined->low_seconds,
              (plain->high_seconds - plain->low_seconds) / 2);
}

}  // namespace
}  // namespace spotfarm::estimate
