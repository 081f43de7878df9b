#pragma once
// Wall time and cost of rendering on a fleet of N workers, from per-frame render times (usually
// RenderTimeEstimate::frame_seconds). Pure.
//
// Model: every worker is launched at time 0, spends `startup_seconds` coming up (instance boot,
// worker and Blender start) and `scene_load_seconds` loading the scene once (a worker keeps its
// Blender session), then takes tasks. Tasks are chunks of `chunk_size` frames in frame order, and
// each goes to the worker that frees up first: greedy list scheduling, the order the scheduler
// hands out work. A frame is never split, so the wall time is at least the start-up plus the
// slowest frame however many workers there are: the tail. A worker stops (and stops billing)
// after its last task; no more workers are used than there are tasks.

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "estimate/estimate.h"

namespace spotfarm::estimate {

struct FleetParams {
    double startup_seconds = 0;     // per worker, not scaled by speed
    double scene_load_seconds = 0;  // per worker, as measured on this machine
    // How fast a worker renders relative to this machine (2 = twice as fast): frame times and
    // the scene load are divided by it.
    double speed_factor = 1;
    std::size_t chunk_size = 1;      // frames per task (0 is taken as 1)
    double min_billed_seconds = 60;  // EC2 bills at least a minute per instance
};

struct FleetRun {
    std::size_t workers_used = 0;  // min(workers, tasks)
    double wall_seconds = 0;       // from launch until the last frame is done
    // Billed time: each used worker from launch until its last task ends (at least
    // min_billed_seconds).
    double instance_seconds = 0;
};

// Greedy list scheduling: each task in turn goes to the worker that is free first. `free_at` holds
// when each worker becomes free; returns when each becomes free after its last task (same order
// as `free_at`).
std::vector<double> list_schedule(std::vector<double> free_at, std::span<const double> tasks);

// One simulated render of `frame_seconds` (in frame order) on `workers` workers.
FleetRun simulate_fleet(std::span<const double> frame_seconds, std::size_t workers,
                        const FleetParams& params);

struct FleetRow {
    std::size_t workers = 0;
    std::size_t workers_used = 0;
    // Point, low and high: the estimate's per-frame times scaled to its interval ends.
    double wall_seconds = 0, wall_low_seconds = 0, wall_high_seconds = 0;
    double instance_hours = 0, instance_hours_low = 0, instance_hours_high = 0;
    double cost = 0, cost_low = 0, cost_high = 0;  // instance-hours x price_per_hour
};

inline constexpr std::array<std::size_t, 5> k_fleet_sizes{1, 5, 10, 25, 50};

// The wall time and cost of the estimate at each fleet size.
std::vector<FleetRow> fleet_table(const RenderTimeEstimate& estimate, const FleetParams& params,
                                  double price_per_hour,
                                  std::span<const std::size_t> sizes = k_fleet_sizes);

// A rough speed factor for CPU rendering, which scales with cores: an instance with
// `instance_vcpus` against `local_threads` here (Cycles uses every hardware thread, and an EC2
// vCPU is one hardware thread).
double speed_factor_from_threads(int instance_vcpus, int local_threads);

}  // namespace spotfarm::estimate
