#include "cli/estimate/estimate_setup.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "estimate/estimate.h"
#include "estimate/fleet_plan.h"
#include "providers/aws/aws_provider.h"
#include "util/utc_time.h"

namespace spotfarm::cli {

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
                                              const estimate::MachineChoice& choice, bool on_demand,
                                              double speed_factor, int local_threads) {
    auto matched = estimate::match_machines(table, choice, on_demand);
    if (!matched) return matched.error();
    EstimatePricing p;
    p.instance = matched->priced_as;
    p.machines = choice.describe();
    for (const auto& candidate : matched->candidates) p.candidates.push_back(candidate.type);
    p.spot = !on_demand;
    p.usd_per_hour = p.spot ? p.instance.spot_usd_per_hour() : p.instance.on_demand_usd_per_hour;
    p.local_threads = std::max(1, local_threads);
    p.speed_factor_given = speed_factor > 0;
    p.speed_factor = p.speed_factor_given
                         ? speed_factor
                         : estimate::speed_factor_from_threads(p.instance.vcpus, p.local_threads);
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

bool use_cheapest_live_spot_price(EstimatePricing& p, const estimate::PriceTable& table,
                                  const std::vector<providers::aws::CurrentSpotPrice>& prices,
                                  const std::string& region) {
    if (!p.spot) return false;
    const providers::aws::CurrentSpotPrice* cheapest = nullptr;
    for (const auto& price : prices) {
        if (std::find(p.candidates.begin(), p.candidates.end(), price.instance_type) ==
            p.candidates.end())
            continue;
        if (!cheapest || price.median_usd_per_hour < cheapest->median_usd_per_hour)
            cheapest = &price;
    }
    if (!cheapest) return false;
    const estimate::InstancePrice* instance = table.find(cheapest->instance_type);
    if (!instance) return false;
    p.instance = *instance;
    if (!p.speed_factor_given && !p.speed_from_farm)
        p.speed_factor = estimate::speed_factor_from_threads(instance->vcpus, p.local_threads);
    use_live_spot_price(p, *cheapest, region);
    return true;
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
