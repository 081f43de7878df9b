#pragma once
// How long an animation takes to render, from a few frames rendered as samples. Pure: the caller
// renders the samples and hands in their times. The fleet side (wall time on N workers, cost)
// is in fleet_plan.h, the live ETA of a running render in live_eta.h, prices in price_table.h.
//
// Method. The sampled frames are spread evenly over the frame set (choose_sample_frames), so each
// stands for a stratum of neighbouring frames. The time of every frame is interpolated linearly
// between the sampled frames around it, in frame-number order (held constant before the first
// and after the last sample); the point estimate of the total is the sum. Its interval comes
// from how rough the sampled times are once a straight line through neighbours is taken out,
// which is exactly the error interpolation cannot follow. With the samples (x_i, y_i) in frame
// order and N frames in the set, each inner sample's residual from the line through its
// neighbours, r_i = y_i - a_i y_{i-1} - b_i y_{i+1} (b_i = (x_i - x_{i-1}) / (x_{i+1} - x_{i-1}),
// a_i = 1 - b_i), gives
//     s2 = sum r_i^2 / sum (1 + a_i^2 + b_i^2)      (n >= 3; for evenly spaced samples this is
//                                                    sum of squared second differences / 6(n-2))
//     s2 = (y_2 - y_1)^2 / 2                        (n == 2)
//     se = sqrt(s2 * K),  K = (frames not sampled) + sum_i (w_i - [x_i in the set])^2
// where w_i is the sum over all frames of sample i's interpolation weight: K * v is exactly the
// variance of the interpolated total's error when frames vary independently with variance v
// (for evenly spread samples K is about N^2 (1 - n/N) / n), and s2 is an unbiased estimate of v
// then. The interval is total +- t_{d, (1+confidence)/2} * se, its low end bounded below (see
// next), with d = max(1, round(0.514 (n-2))) degrees of freedom: neighbouring residuals share
// samples, and 0.514 is Satterthwaite's approximation for evenly spaced ones. Simulated on
// independent normal and log-normal frame times, 90 % intervals hold the true total 88-91 % of the
// time for 3 to 30 samples. A steady ramp gives a narrow interval, a shot with a sudden expensive
// stretch a wide one (compare Wolter, "Introduction to Variance Estimation", ch. 8, on difference
// estimators for systematic samples). With every frame sampled the total is exact; with a single
// sample there is no spread to measure and the interval is reported as unknown.
//
// The low end is never below what cannot be otherwise: the sampled frames of the set took what
// they took, and each frame not sampled takes at least `min_frame_seconds` (0 unless the caller
// knows a floor), so low >= sum of the sampled times in the set + min_frame_seconds * the rest.
// (On a 24-frame shot with a heavy middle the symmetric interval alone reached 0 s although the
// samples had taken 0.99 s.)
//
// Adaptive sampling. An interpolation cannot see a sudden expensive stretch between two samples;
// refine_sample_frames() names frames between neighbouring samples whose times differ a lot, to
// be rendered before the estimate is reported. Each round halves the gaps that matter most, so a
// few rounds find the edges of a stretch and the interval narrows around it.

#include <array>
#include <cstddef>
#include <map>
#include <string_view>
#include <vector>

#include "core/frame_set.h"
#include "util/result.h"

namespace spotfarm::estimate {

using core::FrameSet;

// Which frames to render as samples: n frames spread evenly over the set by position, the first
// and last included (n == 1: the middle frame); all frames when n >= frames.size().
std::vector<int> choose_sample_frames(const FrameSet& frames, std::size_t n);

// Measured render seconds of sampled frames, by frame number.
using FrameTimes = std::map<int, double>;

// Seconds of each frame of `frames` (in frames() order), interpolated from `samples` as the header
// comment describes. `samples` must not be empty.
std::vector<double> interpolate_frame_seconds(const FrameSet& frames, const FrameTimes& samples);

struct RenderTimeEstimate {
    double total_seconds = 0;  // point estimate of the render time of all frames on one machine
    double low_seconds = 0;    // interval at `confidence`; equal to total when unknown
    double high_seconds = 0;
    double confidence = 0;
    bool interval_known = false;        // false with fewer than 2 samples
    std::vector<double> frame_seconds;  // interpolated, in FrameSet::frames() order
    double max_frame_seconds = 0;       // the slowest interpolated frame
    std::size_t sample_count = 0;
};

// The render time of `frames` from the sampled times. Fails on an empty frame set, no samples,
// a sample time that is negative or not finite, or a confidence outside (0, 1). Samples may lie
// outside the set (e.g. frames rendered for another range); they still inform the interpolation.
util::Result<RenderTimeEstimate> estimate_render_time(const FrameSet& frames,
                                                      const FrameTimes& samples,
                                                      double confidence = 0.9,
                                                      double min_frame_seconds = 0);

// Neighbouring samples (in frame order) "differ a lot" when the larger time is more than this
// factor times the smaller (and the two differ by more than k_jump_min_seconds, below which
// timing noise dominates).
inline constexpr double k_jump_ratio = 1.5;
inline constexpr double k_jump_min_seconds = 0.05;

// Up to `max_new` frames of `frames`, not sampled yet, each in the middle of a gap between
// neighbouring samples that differ a lot, the gaps whose difference times width is largest
// first; ascending. Empty when no gap qualifies (or none has an unsampled frame inside).
std::vector<int> refine_sample_frames(const FrameSet& frames, const FrameTimes& samples,
                                      std::size_t max_new);

// The running length of an animation at a frame rate.
struct RunningLength {
    std::string_view fps_label;  // "23.976", "24", ...
    double fps = 0;
    double seconds = 0;
};
// At 23.976, 24, 25, 29.97, 30, 50, 59.94 and 60 fps (the NTSC rates are exactly 24000/1001,
// 30000/1001 and 60000/1001).
std::array<RunningLength, 8> running_lengths(std::size_t frame_count);

}  // namespace spotfarm::estimate
