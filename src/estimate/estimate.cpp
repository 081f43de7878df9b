#include "estimate/estimate.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "util/statistics.h"

namespace spotfarm::estimate {

namespace {

using Samples = std::vector<std::pair<int, double>>;  // (frame, seconds), in frame order

// Calls visit(lo, hi, t) for each frame of `frames` in order: its interpolated time is
// (1 - t) * xy[lo] + t * xy[hi].
template <class Visit>
void for_each_blend(const FrameSet& frames, const Samples& xy, Visit&& visit) {
    std::size_t next = 0;  // the first sample at or after the current frame
    for (int frame : frames.frames()) {
        while (next < xy.size() && xy[next].first < frame) ++next;
        if (next == xy.size()) {
            visit(next - 1, next - 1, 0.0);
        } else if (xy[next].first == frame || next == 0) {
            visit(next, next, 0.0);
        } else {
            const double t = static_cast<double>(frame - xy[next - 1].first) /
                             static_cast<double>(xy[next].first - xy[next - 1].first);
            visit(next - 1, next, t);
        }
    }
}

// The variance of one frame's time, from the samples' residuals from the line through their
// neighbours (see the header).
double frame_variance(const Samples& xy) {
    const std::size_t n = xy.size();
    if (n == 2) {
        const double d = xy[1].second - xy[0].second;
        return d * d / 2;
    }
    double squares = 0;
    double weights = 0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double b = static_cast<double>(xy[i].first - xy[i - 1].first) /
                         static_cast<double>(xy[i + 1].first - xy[i - 1].first);
        const double a = 1 - b;
        const double r = xy[i].second - a * xy[i - 1].second - b * xy[i + 1].second;
        squares += r * r;
        weights += 1 + a * a + b * b;
    }
    return squares / weights;
}

}  // namespace

std::vector<int> choose_sample_frames(const FrameSet& frames, std::size_t n) {
    const std::vector<int>& all = frames.frames();
    if (n == 0 || all.empty()) return {};
    if (n >= all.size()) return all;
    if (n == 1) return {all[(all.size() - 1) / 2]};
    std::vector<int> chosen;
    chosen.reserve(n);
    const double spacing = static_cast<double>(all.size() - 1) / static_cast<double>(n - 1);
    for (std::size_t i = 0; i < n; ++i) {
        // Spacing >= 1, so rounded positions never repeat.
        const auto position =
            static_cast<std::size_t>(std::llround(spacing * static_cast<double>(i)));
        chosen.push_back(all[std::min(position, all.size() - 1)]);
    }
    return chosen;
}

std::vector<double> interpolate_frame_seconds(const FrameSet& frames, const FrameTimes& samples) {
    const std::vector<std::pair<int, double>> xy(samples.begin(), samples.end());
    std::vector<double> seconds;
    seconds.reserve(frames.size());
    for_each_blend(frames, xy, [&](std::size_t lo, std::size_t hi, double t) {
        seconds.push_back(xy[lo].second + t * (xy[hi].second - xy[lo].second));
    });
    return seconds;
}

util::Result<RenderTimeEstimate> estimate_render_time(const FrameSet& frames,
                                                      const FrameTimes& samples, double confidence,
                                                      double min_frame_seconds) {
    if (frames.empty())
        return util::make_error("no frames to estimate: the frame set is empty",
                                util::ErrorKind::invalid);
    if (samples.empty()) {
        return util::make_error(
            "no sampled frame times to estimate from: render at least one frame (better 5 or "
            "more, spread over the range) first",
            util::ErrorKind::invalid);
    }
    if (!(confidence > 0 && confidence < 1)) {
        return util::make_error(
            fmt::format("confidence {} is outside (0, 1); use for example 0.9", confidence),
            util::ErrorKind::invalid);
    }
    for (const auto& [frame, seconds] : samples) {
        if (!std::isfinite(seconds) || seconds < 0) {
            return util::make_error(
                fmt::format("the sampled time of frame {} is {} s; a render time must be a "
                            "number of seconds of 0 or more",
                            frame, seconds),
                util::ErrorKind::invalid);
        }
    }

    const Samples xy(samples.begin(), samples.end());
    RenderTimeEstimate estimate;
    estimate.confidence = confidence;
    estimate.sample_count = xy.size();
    estimate.frame_seconds.reserve(frames.size());
    // How much of the total rests on each sample: sum over frames of its interpolation weight.
    std::vector<double> weight(xy.size(), 0.0);
    for_each_blend(frames, xy, [&](std::size_t lo, std::size_t hi, double t) {
        const double seconds = xy[lo].second + t * (xy[hi].second - xy[lo].second);
        estimate.frame_seconds.push_back(seconds);
        estimate.total_seconds += seconds;
        estimate.max_frame_seconds = std::max(estimate.max_frame_seconds, seconds);
        weight[lo] += 1 - t;
        weight[hi] += t;
    });
    estimate.low_seconds = estimate.high_seconds = estimate.total_seconds;
    if (xy.size() < 2) return estimate;

    // The error of the total is sum(unsampled frames) - sum_i (w_i - [sample i in the set]) y_i.
    double factor = 0;
    std::size_t sampled_inside = 0;
    double measured = 0;  // seconds of the sampled frames of the set: certain, not estimated
    for (std::size_t i = 0; i < xy.size(); ++i) {
        const bool inside = frames.contains(xy[i].first);
        sampled_inside += inside;
        if (inside) measured += xy[i].second;
        const double c = weight[i] - (inside ? 1.0 : 0.0);
        factor += c * c;
    }
    factor += static_cast<double>(frames.size() - sampled_inside);
    const double se = std::sqrt(frame_variance(xy) * factor);
    // Neighbouring residuals share samples, so s2 has fewer degrees of freedom than residuals:
    // Satterthwaite's approximation for evenly spaced ones gives 2.25 / 4.375 = 0.514 per residual.
    const double residuals = static_cast<double>(std::max<std::size_t>(1, xy.size() - 2));
    const int dof = std::max(1, static_cast<int>(std::lround(0.514 * residuals)));
    const double t = util::student_t_quantile((1 + confidence) / 2, dof);
    estimate.interval_known = true;
    const double floor = measured + std::max(0.0, min_frame_seconds) *
                                        static_cast<double>(frames.size() - sampled_inside);
    estimate.low_seconds = std::max(floor, estimate.total_seconds - t * se);
    estimate.high_seconds = std::max(estimate.low_seconds, estimate.total_seconds + t * se);
    return estimate;
}

std::vector<int> refine_sample_frames(const FrameSet& frames, const FrameTimes& samples,
                                      std::size_t max_new) {
    struct Gap {
        double score = 0;
        int frame = 0;
    };
    std::vector<Gap> gaps;
    const std::vector<int>& all = frames.frames();
    for (auto right = samples.begin(); right != samples.end(); ++right) {
        if (right == samples.begin()) continue;
        const auto left = std::prev(right);
        const double lo = std::min(left->second, right->second);
        const double hi = std::max(left->second, right->second);
        if (hi - lo <= k_jump_min_seconds || hi <= k_jump_ratio * lo) continue;
        // The set's frames strictly between the two samples; the one nearest the middle.
        const auto first = std::upper_bound(all.begin(), all.end(), left->first);
        const auto last = std::lower_bound(all.begin(), all.end(), right->first);
        if (first >= last) continue;
        const double middle = (left->first + right->first) / 2.0;
        const auto nearest = std::min_element(
            first, last, [&](int a, int b) { return std::abs(a - middle) < std::abs(b - middle); });
        gaps.push_back({(hi - lo) * static_cast<double>(last - first), *nearest});
    }
    std::stable_sort(gaps.begin(), gaps.end(),
                     [](const Gap& a, const Gap& b) { return a.score > b.score; });
    std::vector<int> chosen;
    for (const Gap& gap : gaps) {
        if (chosen.size() == max_new) break;
        chosen.push_back(gap.frame);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

std::array<RunningLength, 8> running_lengths(std::size_t frame_count) {
    std::array<RunningLength, 8> lengths{{
        {"23.976", 24000.0 / 1001.0},
        {"24", 24},
        {"25", 25},
        {"29.97", 30000.0 / 1001.0},
        {"30", 30},
        {"50", 50},
        {"59.94", 60000.0 / 1001.0},
        {"60", 60},
    }};
    for (RunningLength& length : lengths) {
        length.seconds = static_cast<double>(frame_count) / length.fps;
    }
    return lengths;
}

}  // namespace spotfarm::estimate
