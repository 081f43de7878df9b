#include "estimate/live_eta.h"

#include <algorithm>
#include <iterator>

#include "estimate/fleet_plan.h"

namespace spotfarm::estimate {
namespace {

constexpr std::ptrdiff_t k_neighbours = 32;  // per side

double bandwidth(const std::vector<std::pair<int, double>>& done) {
    std::vector<int> gaps;
    for (std::size_t i = 1; i < done.size(); ++i) gaps.push_back(done[i].first - done[i - 1].first);
    if (gaps.empty()) return 1;
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                     gaps.end());
    return std::max(1.0, 2.0 * gaps[gaps.size() / 2]);
}

}  // namespace

std::vector<double> predict_frame_seconds(const FrameTimes& done, const FrameSet& frames) {
    const std::vector<std::pair<int, double>> known(done.begin(), done.end());
    const double h = bandwidth(known);
    std::vector<double> predicted;
    predicted.reserve(frames.size());
    for (int frame : frames.frames()) {
        const auto at = std::lower_bound(known.begin(), known.end(), frame,
                                         [](const auto& k, int f) { return k.first < f; });
        const auto first = at - std::min(k_neighbours, at - known.begin());
        const auto last = at + std::min(k_neighbours, known.end() - at);
        double weighted = 0;
        double weights = 0;
        for (auto it = first; it != last; ++it) {
            const double d = (it->first - static_cast<double>(frame)) / h;
            const double w = 1 / ((1 + d * d) * (1 + d * d));
            weighted += w * it->second;
            weights += w;
        }
        predicted.push_back(weighted / weights);
    }
    return predicted;
}

std::optional<double> paced_eta_seconds(double elapsed_seconds, std::size_t frames_done,
                                        double seconds_done, double seconds_left) {
    if (frames_done < k_paced_after_frames || !(elapsed_seconds > 0) || !(seconds_done > 0))
        return std::nullopt;
    return elapsed_seconds * std::max(0.0, seconds_left) / seconds_done;
}

std::optional<double> live_eta_seconds(const FrameTimes& done, const FrameSet& left,
                                       std::size_t workers, std::span<const RunningFrame> running) {
    if (left.empty()) return 0.0;
    if (done.empty()) return std::nullopt;
    workers = std::max<std::size_t>(workers, 1);
    const std::vector<double> predicted = predict_frame_seconds(done, left);

    std::vector<double> free_at(workers, 0.0);
    std::vector<bool> started(left.size(), false);
    std::vector<double> queued_running;  // running frames beyond the worker count wait
    std::size_t busy = 0;
    for (const RunningFrame& r : running) {
        const auto it = std::lower_bound(left.frames().begin(), left.frames().end(), r.frame);
        if (it == left.frames().end() || *it != r.frame) continue;
        const auto index = static_cast<std::size_t>(it - left.frames().begin());
        if (started[index]) continue;
        started[index] = true;
        const double remaining = std::max(0.0, predicted[index] - r.elapsed_seconds);
        if (busy < workers) {
            free_at[busy++] = remaining;
        } else {
            queued_running.push_back(remaining);
        }
    }
    std::vector<double> tasks = std::move(queued_running);
    for (std::size_t i = 0; i < left.size(); ++i) {
        if (!started[i]) tasks.push_back(predicted[i]);
    }
    const std::vector<double> finish = list_schedule(std::move(free_at), tasks);
    return *std::max_element(finish.begin(), finish.end());
}

}  // namespace spotfarm::estimate
