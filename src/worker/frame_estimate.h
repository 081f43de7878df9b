#pragma once
// When the frame in progress should end: the question a drain asks before it lets a frame finish.

#include <optional>

#include "util/clock.h"

namespace spotfarm::worker {

// Judged from the frame's own samples (`sample` of `samples_total` done since `frame_start`),
// or else from `typical_frame`, the time the job's earlier frames took here. Nothing when there
// is nothing to judge from, or the frame already took longer than a typical one: then a drain
// does not wait for it.
std::optional<util::Clock::time_point> expected_frame_end(
    util::Clock::time_point frame_start, util::Clock::time_point now, int sample, int samples_total,
    std::optional<util::Clock::duration> typical_frame);

}  // namespace spotfarm::worker
