#include "estimate/estimate.h"

#include <cmath>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

namespace spotfarm::estimate {
namespace {

FrameSet frames_of(std::string_view spec) {
    auto set = FrameSet::parse(spec);
    EXPECT_TRUE(set.ok());
    return set.ok() ? *set : FrameSet{};
}

FrameTimes sample(const FrameSet& frames, std::size_t n, const std::function<double(int)>& truth) {
    FrameTimes times;
    for (int f : choose_sample_frames(frames, n)) times[f] = truth(f);
    return times;
}

double true_total(const FrameSet& frames, const std::function<double(int)>& truth) {
    double total = 0;
    for (int f : frames.frames()) total += truth(f);
    return total;
}

TEST(ChooseSampleFrames, EvenSpreadWithEnds) {
    EXPECT_EQ(choose_sample_frames(frames_of("1-100"), 5), (std::vector<int>{1, 26, 51, 75, 100}));
    EXPECT_EQ(choose_sample_frames(frames_of("1-100"), 2), (std::vector<int>{1, 100}));
    EXPECT_EQ(choose_sample_frames(frames_of("1-100"), 1), (std::vector<int>{50}));
    EXPECT_TRUE(choose_sample_frames(frames_of("1-100"), 0).empty());
    EXPECT_EQ(choose_sample_frames(frames_of("3,7,9"), 10), (std::vector<int>{3, 7, 9}));
    // Spread by position among the frames to render, not by frame number.
    EXPECT_EQ(choose_sample_frames(frames_of("1-10,1001-1010"), 4),
              (std::vector<int>{1, 7, 1004, 1010}));
}

TEST(ChooseSampleFrames, DistinctSortedMembersForEverySize) {
    const FrameSet frames = frames_of("1-37,50-90x3");
    for (std::size_t n = 1; n <= frames.size(); ++n) {
        const auto chosen = choose_sample_frames(frames, n);
        ASSERT_EQ(chosen.size(), n);
        EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
        EXPECT_EQ(std::adjacent_find(chosen.begin(), chosen.end()), chosen.end()) << n;
        for (int f : chosen) EXPECT_TRUE(frames.contains(f));
        if (n >= 2) {
            EXPECT_EQ(chosen.front(), frames.first());
            EXPECT_EQ(chosen.back(), frames.last());
        }
    }
}

TEST(InterpolateFrameSeconds, LinearBetweenConstantOutside) {
    const FrameTimes samples{{2, 10}, {12, 20}};
    const auto seconds = interpolate_frame_seconds(frames_of("0-14"), samples);
    ASSERT_EQ(seconds.size(), 15u);
    EXPECT_DOUBLE_EQ(seconds[0], 10);   // frame 0, before the first sample
    EXPECT_DOUBLE_EQ(seconds[2], 10);   // frame 2
    EXPECT_DOUBLE_EQ(seconds[7], 15);   // frame 7, half way
    EXPECT_DOUBLE_EQ(seconds[12], 20);  // frame 12
    EXPECT_DOUBLE_EQ(seconds[14], 20);  // after the last sample
}

TEST(EstimateRenderTime, RejectsBadInput) {
    EXPECT_FALSE(estimate_render_time(FrameSet{}, {{1, 1.0}}).ok());
    EXPECT_FALSE(estimate_render_time(frames_of("1-10"), {}).ok());
    EXPECT_FALSE(estimate_render_time(frames_of("1-10"), {{1, -1.0}}).ok());
    EXPECT_FALSE(estimate_render_time(frames_of("1-10"), {{1, std::nan("")}}).ok());
    EXPECT_FALSE(estimate_render_time(frames_of("1-10"), {{1, 1.0}}, 1.0).ok());
    EXPECT_FALSE(estimate_render_time(frames_of("1-10"), {{1, 1.0}}, 0).ok());
    auto no_samples = estimate_render_time(frames_of("1-10"), {});
    EXPECT_NE(no_samples.error().message.find("render at least one frame"), std::string::npos);
}

TEST(EstimateRenderTime, SingleSampleHasNoInterval) {
    auto e = estimate_render_time(frames_of("1-100"), {{50, 3.0}});
    ASSERT_TRUE(e.ok());
    EXPECT_DOUBLE_EQ(e->total_seconds, 300);
    EXPECT_FALSE(e->interval_known);
    EXPECT_DOUBLE_EQ(e->low_seconds, 300);
    EXPECT_DOUBLE_EQ(e->high_seconds, 300);
    EXPECT_DOUBLE_EQ(e->max_frame_seconds, 3);
    EXPECT_EQ(e->sample_count, 1u);
}

TEST(EstimateRenderTime, LinearRampIsExact) {
    const FrameSet frames = frames_of("1-240");
    const auto truth = [](int f) { return 5.0 + 0.1 * f; };
    auto e = estimate_render_time(frames, sample(frames, 7, truth));
    ASSERT_TRUE(e.ok());
    EXPECT_NEAR(e->total_seconds, true_total(frames, truth), 1e-6);
    EXPECT_TRUE(e->interval_known);
    EXPECT_NEAR(e->high_seconds - e->low_seconds, 0, 1e-6);
    EXPECT_NEAR(e->max_frame_seconds, 29, 1e-9);
}

TEST(EstimateRenderTime, EveryFrameSampledIsExact) {
    const FrameSet frames = frames_of("1-30");
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> noise(1, 10);
    FrameTimes all;
    double total = 0;
    for (int f : frames.frames()) total += all[f] = noise(rng);
    auto e = estimate_render_time(frames, all);
    ASSERT_TRUE(e.ok());
    EXPECT_NEAR(e->total_seconds, total, 1e-9);
    EXPECT_NEAR(e->low_seconds, total, 1e-9);
    EXPECT_NEAR(e->high_seconds, total, 1e-9);
}

// Independent per-frame times: the 90 % interval should hold the true total about 90 % of the time.
TEST(EstimateRenderTime, IntervalCoversTruthForIndependentFrames) {
    std::mt19937 rng(12345);
    std::lognormal_distribution<double> frame_time(std::log(20.0), 0.4);
    const FrameSet frames = frames_of("1-240");
    int covered = 0;
    double width = 0;
    constexpr int trials = 400;
    for (int trial = 0; trial < trials; ++trial) {
        std::vector<double> truth(241);
        for (double& t : truth) t = frame_time(rng);
        const auto f = [&](int frame) { return truth[static_cast<std::size_t>(frame)]; };
        auto e = estimate_render_time(frames, sample(frames, 12, f), 0.9);
        ASSERT_TRUE(e.ok());
        const double total = true_total(frames, f);
        covered += e->low_seconds <= total && total <= e->high_seconds;
        width += (e->high_seconds - e->low_seconds) / total;
    }
    const double coverage = static_cast<double>(covered) / trials;
    EXPECT_GE(coverage, 0.84);
    EXPECT_LE(coverage, 0.96);
    EXPECT_LT(width / trials, 0.5);  // informative, not a blanket
}

// A trend with noise and an expensive stretch, like the demo scene.
TEST(EstimateRenderTime, IntervalCoversTruthForTrendAndHeavyStretch) {
    std::mt19937 rng(99);
    std::normal_distribution<double> noise(0, 2);
    const FrameSet frames = frames_of("1-600");
    int covered = 0;
    constexpr int trials = 200;
    for (int trial = 0; trial < trials; ++trial) {
        const int heavy_start = std::uniform_int_distribution<int>(50, 450)(rng);
        std::vector<double> truth(601);
        for (int f = 1; f <= 600; ++f) {
            const bool heavy = f >= heavy_start && f < heavy_start + 100;
            truth[f] = std::max(0.5, 10 + 0.02 * f + (heavy ? 30 : 0) + noise(rng));
        }
        const auto f = [&](int frame) { return truth[static_cast<std::size_t>(frame)]; };
        auto e = estimate_render_time(frames, sample(frames, 20, f), 0.9);
        ASSERT_TRUE(e.ok());
        const double total = true_total(frames, f);
        covered += e->low_seconds <= total && total <= e->high_seconds;
    }
    EXPECT_GE(static_cast<double>(covered) / trials, 0.85);
}

TEST(EstimateRenderTime, MoreSamplesNarrowTheInterval) {
    std::mt19937 rng(5);
    std::gamma_distribution<double> frame_time(4, 5);
    const FrameSet frames = frames_of("1-1000");
    std::vector<double> truth(1001);
    for (double& t : truth) t = frame_time(rng);
    const auto f = [&](int frame) { return truth[static_cast<std::size_t>(frame)]; };
    auto few = estimate_render_time(frames, sample(frames, 6, f));
    auto many = estimate_render_time(frames, sample(frames, 60, f));
    ASSERT_TRUE(few.ok() && many.ok());
    EXPECT_LT(many->high_seconds - many->low_seconds, (few->high_seconds - few->low_seconds) / 2);
}

TEST(RunningLengths, AllRates) {
    const auto lengths = running_lengths(1440);
    ASSERT_EQ(lengths.size(), 8u);
    EXPECT_EQ(lengths[0].fps_label, "23.976");
    EXPECT_NEAR(lengths[0].seconds, 60.06, 1e-9);
    EXPECT_DOUBLE_EQ(lengths[1].seconds, 60);
    EXPECT_DOUBLE_EQ(lengths[2].seconds, 57.6);
    EXPECT_NEAR(lengths[3].seconds, 48.048, 1e-9);
    EXPECT_DOUBLE_EQ(lengths[4].seconds, 48);
    EXPECT_DOUBLE_EQ(lengths[5].seconds, 28.8);
    EXPECT_NEAR(lengths[6].seconds, 24.024, 1e-9);
    EXPECT_DOUBLE_EQ(lengths[7].seconds, 24);
    EXPECT_EQ(lengths[7].fps_label, "60");
}

}  // namespace
}  // namespace spotfarm::estimate
