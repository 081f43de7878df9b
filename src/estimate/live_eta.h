#pragma once
// The remaining time of a render that is running, from the frames done so far. Pure.
//
// Each frame left is predicted from the measured frames near it rather than from a plain
// average: a weighted mean of the 32 nearest done frames on each side, with weights
// 1 / (1 + (d/h)^2)^2 for a distance of d frames, where h is twice the median gap between done
// frames (at least 1). Shots change cost along their length, and neighbouring frames are the best
// guide; far from any measurement the prediction tends to the mean of what is known. The frames
// left are then list-scheduled in frame order over the workers (fleet_plan.h), the running ones
// first, each with its predicted time less what it has already run (never below zero).

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/frame_set.h"
#include "estimate/estimate.h"

namespace spotfarm::estimate {

using core::FrameSet;

struct RunningFrame {
    int frame = 0;
    double elapsed_seconds = 0;
};

// Predicted seconds of each frame of `frames` (in frames() order); `done` must not be empty.
std::vector<double> predict_frame_seconds(const FrameTimes& done, const FrameSet& frames);

// Seconds until every frame of `left` (the frames not done yet, running ones included) is done
// on `workers` workers (0 is taken as 1). 0 when nothing is left; nullopt when no frame is done
// yet, so there is nothing to go by.
std::optional<double> live_eta_seconds(const FrameTimes& done, const FrameSet& left,
                                       std::size_t workers,
                                       std::span<const RunningFrame> running = {});

// Frames that must have finished since a render began before its pace is trusted.
inline constexpr std::size_t k_paced_after_frames = 5;

// The ETA by the pace seen so far, which a display of "frames/s" must agree with: in
// `elapsed_seconds` the render finished `frames_done` frames whose render times add up to
// `seconds_done`; the frames left, predicted at `seconds_left`, take proportionally as long.
// With frames of equal cost this is exactly frames left / rate; a costlier stretch ahead makes it
// longer. The worker count and the time around Blender's render call are in the pace, so
// nothing has to guess them. nullopt before k_paced_after_frames frames or without a pace.
std::optional<double> paced_eta_seconds(double elapsed_seconds, std::size_t frames_done,
                                        double seconds_done, double seconds_left);

}  // namespace spotfarm::estimate
