#pragma once
// `spotfarm estimate`: its arguments and the checks that turn them into what the estimate rests
// on (frames, sample frames, instance price, speed factor). Pure, so every refusal is tested
// without Blender.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/cloud/cloud_context.h"
#include "cli/common/render_flags.h"
#include "core/frame_set.h"
#include "estimate/machine_choice.h"
#include "estimate/price_table.h"
#include "providers/aws/spot_price_now.h"
#include "util/result.h"

namespace spotfarm::cli {

struct EstimateArgs {
    // The job to estimate, in the words of `spotfarm submit` (no output, priority or name).
    // --frames none: the scene's own range; --chunk none: 1 frame per task.
    RenderFlags render;
    std::size_t sample = 0;  // frames to render as samples; 0: default_sample_count
    // The fleet's machines, as `cloud up` and `render --cloud` choose them (--instance-type,
    // --vcpus, --memory-per-vcpu, --gpu); only those fields are used.
    LaunchFlags machines;
    std::string cloud = "aws";  // --cloud: the only one priced
    std::size_t count = 0;      // a fleet size to add to the table; 0: none
    bool spot = false;          // --spot: the default anyway
    bool on_demand = false;     // price on-demand instead of Spot
    double speed_factor = 0;    // 0: from the instance's vCPUs and this machine's threads
    std::string prices;         // a price table file; empty: the built-in one
    double confidence = 0.9;
    double startup_seconds = 90;  // per worker: instance boot, worker and Blender start
    std::string manager;          // sample on the farm of this manager; empty: on this machine
    std::string sample_output;  // with manager: the folder (seen alike by the workers) for samples
    bool live_prices = false;   // ask EC2 for the Spot price even without credentials found here
    bool json = false;

    // Frames per task on the farm (--chunk, default 1).
    std::size_t chunk() const { return static_cast<std::size_t>(render.chunk.value_or(1)); }
};

// What the cost side of the estimate rests on.
struct EstimatePricing {
    // The instance the render is priced and timed on: the cheapest the choice matches.
    estimate::InstancePrice instance;
    std::string machines;                 // the choice in words: "16-32 vCPUs, ..." or the names
    std::vector<std::string> candidates;  // every type of the price table the choice matches
    bool spot = true;
    double usd_per_hour = 0;  // the price used: Spot (typical) or on-demand
    double speed_factor = 1;
    bool speed_factor_given = false;  // --speed-factor; else from vCPUs against local_threads
    int local_threads = 1;
    std::string table_generated;  // the price table's date
    std::string table_region;
    std::string table_source;      // "built-in" or the file
    bool speed_from_farm = false;  // sampled on the farm's workers: taken as the instances' speed
    // Where usd_per_hour comes from: "table 2026-01-15" or "DescribeSpotPriceHistory <UTC time>".
    std::string price_source;
    std::string price_note;  // why the table was used although EC2 was asked; empty otherwise
    std::optional<providers::aws::CurrentSpotPrice> live_spot;  // the price EC2 gave, if any
    std::string live_region;
};

// Samples when --sample is not given: about the square root of the frame count, 3 to 10 (all
// frames when there are no more than 3). More samples narrow the interval.
std::size_t default_sample_count(std::size_t frame_count);

// --frames parsed, with an error that says what a frame set looks like.
util::Result<core::FrameSet> parse_estimate_frames(const std::string& text);

// The frames to render as samples (estimate::choose_sample_frames). `requested` 0 takes the
// default; more than the frames in the set is bad input (code 2).
util::Result<std::vector<int>> estimate_sample_frames(const core::FrameSet& frames,
                                                      std::size_t requested);

// The instances' price and speed: the cheapest type of those the choice matches in the table
// (EC2 Fleet fills the cheapest pools first). An instance type the table does not know, or
// attributes no type meets, is bad input, and the message names the types it does know.
// `local_threads` is this machine's hardware threads (or --threads).
util::Result<EstimatePricing> resolve_pricing(const estimate::PriceTable& table,
                                              const estimate::MachineChoice& choice, bool on_demand,
                                              double speed_factor, int local_threads);

// The samples ran on the farm's workers: unless --speed-factor was given, the instances are taken
// to render as fast as they did (1x).
void price_for_farm_samples(EstimatePricing& pricing);

// The Spot price from EC2 (the median of the zones' latest) replaces the table's typical one.
void use_live_spot_price(EstimatePricing& pricing, const providers::aws::CurrentSpotPrice& price,
                         const std::string& region);
// Of EC2's current Spot prices for the candidates, the cheapest median prices the render, on
// that type's speed (its entry in `table`); prices of types not among the candidates are
// ignored. False when none of the prices is of a candidate.
bool use_cheapest_live_spot_price(EstimatePricing& pricing, const estimate::PriceTable& table,
                                  const std::vector<providers::aws::CurrentSpotPrice>& prices,
                                  const std::string& region);

// The options that make no sense whatever the scene (bad confidence, speed factor, ...); the
// render flags are checked by job_settings.
util::Status check_estimate_args(const EstimateArgs& args);

}  // namespace spotfarm::cli
