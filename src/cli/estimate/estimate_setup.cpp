#include "cli/estimate/estimate_setup.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "estimate/estimate.h"
#include "estimate/fleet_plan.h"
#include "providers/aws/aws_provider.h"
#include "util/utc_time.h"

namespace spotfarm::cli {

namespace {
constexpr std::size_t k_types_listed = 20;

std::string known_types(const estimate::PriceTable& table) {
    std::string out;
    for (std::size_t i = 0; i < table.instances.size() && i < k_types_listed; ++i) {
        if (i > 0) out += ", ";
        out += table.instances[i].type;
    }
    if (table.instances.size() > k_types_listed) {
        out += fmt::format(" and {} more", table.instances.size() - k_types_listed);
    }
    return out;
}
}  // namespace

std::size_t default_sample_count(std::size_t frame_count) {
    if (frame_count <= 3) return frame_count;
    const auto root = static_cast<std::size_t>(std::lround(std::sqrt(frame_count)));
    return std::clamp<std::size_t>(root, 3, 10);
}

util::Result<core::FrameSet> parse_estimate_frames(const std::string& text) {
    auto frames = core::FrameSet::parse(text);
    if (!frames) {
        return util::make_error(fmt::format("bad --frames '{}': {}", text, frames.error().message),
                                util::ErrorKind::invalid);
    }
    if (frames->empty()) {
        return util::make_error("--frames names no frame; give for example --frames 1-250",
                                util::ErrorKind::invalid);
    }
    return frames;
}

util::Result<std::vector<int>> estimate_sample_frames(const core::FrameSet& frames,
                                                      std::size_t requested) {
    if (frames.empty())
        return util::make_error("there are no frames to estimate", util::ErrorKind::invalid);
    if (requested > frames.size()) {
        return util::make_error(
            fmt::format("--sample {} is more than the {} frame{} of {}; use at most {} (sampling "
                        "every frame makes the estimate exact but costs a full render)",
                        requested, frames.size(), frames.size() == 1 ? "" : "s", frames.to_string(),
                        frames.size()),
            util::ErrorKind::invalid);
    }
    const std::size_t n = requested == 0 ? default_sample_count(frames.size()) : requested;
    return estimate::choose_sample_frames(frames, n);
}

util::Result<EstimatePricing> resolve_pricing(const estimate::PriceTable& table,
                                              const std::string& instance_type, bool on_demand,
                                              double speed_factor, int local_threads) {
    const std::string type =
        instance_type.empty() ? providers::aws::k_default_instance_types.front() : instance_type;
    const estimate::InstancePrice* instance = table.find(type);
    if (!instance) {
        return util::make_error(
            fmt::format("unknown instance type '{}': the price table ({}, {}) lists {}. Pick one "
                        "of these, or give a table of your own with --prices FILE",
                        type, table.source, table.generated, known_types(table)),
            util::ErrorKind::invalid);
    }
    EstimatePricing p;
    p.instance = *instance;
    p.spot = !on_demand;
    p.usd_per_hour = p.spot ? instance->spot_usd_per_hour() : instance->on_demand_usd_per_hour;
    p.local_threads = std::max(1, local_threads);
    p.speed_factor_given = speed_factor > 0;
    p.speed_factor = p.speed_factor_given
                         ? speed_factor
                         : estimate::speed_factor_from_threads(instance->vcpus, p.local_threads);
    p.table_generated = table.generated;
    p.table_region = table.region;
    p.table_source = table.source;
    p.price_source = "table " + table.generated;
    return p;
}

void price_for_farm_samples(EstimatePricing& p) {
    p.speed_from_farm = true;
    if (!p.speed_factor_given) p.speed_factor = 1;
}

void use_live_spot_price(EstimatePricing& p, const providers::aws::CurrentSpotPrice& price,
                         const std::string& region) {
    if (!p.spot) return;
    p.usd_per_hour = price.median_usd_per_hour;
    p.price_source = "DescribeSpotPriceHistory " + util::format_iso8601_utc(price.as_of);
    p.price_note.clear();
    p.live_spot = price;
    p.live_region = region;
}

util::Status check_estimate_args(const EstimateArgs& a) {
    if (!a.manager.empty() && !a.render.frames) {
        return util::make_error(
            "--manager needs --frames: the samples are spread over the frames to estimate, and "
            "the farm is not asked for the scene's range. Give for example --frames 1-250",
            util::ErrorKind::invalid);
    }
    if (a.manager.empty() && !a.sample_output.empty()) {
        return util::make_error(
            "--sample-output is for --manager (a folder the farm's workers can write); without "
            "it the samples render here into a temporary folder",
            util::ErrorKind::invalid);
    }
    if (!(a.confidence > 0 && a.confidence < 1)) {
        return util::make_error(
            fmt::format("--confidence {} must lie between 0 and 1, e.g. 0.9", a.confidence),
            util::ErrorKind::invalid);
    }
    if (a.speed_factor < 0 || !std::isfinite(a.speed_factor)) {
        return util::make_error(
            fmt::format("--speed-factor {} must be above 0 (2 = the instance renders twice as "
                        "fast as this machine)",
                        a.speed_factor),
            util::ErrorKind::invalid);
    }
    if (a.startup_seconds < 0 || !std::isfinite(a.startup_seconds)) {
        return util::make_error("--startup-seconds must be 0 or more", util::ErrorKind::invalid);
    }
    return {};
}

}  // namespace spotfarm::cli
