#include "worker/frame_estimate.h"

#include <algorithm>

namespace spotfarm::worker {

std::optional<util::Clock::time_point> expected_frame_end(
    util::Clock::time_point frame_start, util::Clock::time_point now, int sample, int samples_total,
    std::optional<util::Clock::duration> typical_frame) {
    const auto elapsed = std::max(now - frame_start, util::Clock::duration::zero());
    if (sample > 0 && samples_total >= sample) {
        // Time spent before the first sample (scene sync, BVH) is counted as sampling time:
        // this over-estimates, which is the safe side for a drain.
        return now + elapsed * (samples_total - sample) / sample;
    }
    // A frame already slower than the typical one is a different frame: no guess.
    if (typical_frame && elapsed < *typical_frame) return frame_start + *typical_frame;
    return std::nullopt;
}

}  // namespace spotfarm::worker
