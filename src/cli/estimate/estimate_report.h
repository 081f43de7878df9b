#pragma once
// `spotfarm estimate`'s answer: from the sampled frame times, the render time of all frames with
// its interval, the running length, when it would finish, and wall time and cost over fleet
// sizes; as text for people and as JSON for scripts. Pure: the sampling happens in estimate.cpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cli/estimate/estimate_setup.h"
#include "estimate/estimate.h"
#include "estimate/fleet_plan.h"
#include "util/result.h"

namespace spotfarm::cli {

// What sampling measured, on this machine or on a farm's workers.
struct SampleMeasurement {
    std::string scene_file;
    std::string blender_version;
    std::string engine;
    std::string device;
    estimate::FrameTimes seconds;  // pure render seconds of each sampled frame
    double load_seconds = 0;       // Blender start and scene load, once
    std::string farm;              // the manager's URL when the samples ran on its workers
    std::size_t farm_workers = 0;  // workers that rendered them
};

struct EstimateReport {
    core::FrameSet frames;
    SampleMeasurement sample;
    EstimatePricing pricing;
    estimate::FleetParams fleet;
    estimate::RenderTimeEstimate render;
    std::vector<estimate::FleetRow> fleets;
    std::size_t chosen_count = 0;  // --count, marked in the table; 0: none
    std::int64_t now_ms = 0;       // Unix time the estimate was made, for finish times
};

// Fleet sizes shown: 1, 5, 10, 25, 50 and `count` (when not 0), in order.
std::vector<std::size_t> estimate_fleet_sizes(std::size_t count);

// The estimate. Fails (code 2) when the samples cannot carry one (none, a bad time).
util::Result<EstimateReport> make_estimate_report(const core::FrameSet& frames,
                                                  SampleMeasurement sample,
                                                  const EstimatePricing& pricing,
                                                  const EstimateArgs& args, std::int64_t now_ms);

// For people, no line longer than 100 columns. `utc` writes clock times in UTC instead of local
// time (for tests).
std::string format_estimate(const EstimateReport& report, bool utc = false);

// For scripts: frames, sampled_frames, render_seconds_total/low/high, fleets[{workers,
// wall_seconds, cost_usd, ...}] and the assumptions (price_source: "table DATE" or
// "DescribeSpotPriceHistory TIME"; sampled_on: "here" or the manager's URL).
nlohmann::json estimate_json(const EstimateReport& report);

}  // namespace spotfarm::cli
