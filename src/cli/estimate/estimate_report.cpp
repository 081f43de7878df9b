#include "cli/estimate/estimate_report.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/render_report.h"
#include "cli/common/table.h"
#include "util/duration_text.h"

namespace spotfarm::cli {

namespace {

using nlohmann::json;
using util::format_seconds;

// `suffix`: " UTC" after a UTC time (a table says so in its header instead).
std::string clock_text(std::int64_t now_ms, double seconds_ahead, bool utc, bool suffix = true) {
    const auto at = static_cast<std::time_t>(now_ms / 1000 + std::llround(seconds_ahead));
    if (utc) return fmt::format("{:%Y-%m-%d %H:%M}{}", fmt::gmtime(at), suffix ? " UTC" : "");
    return fmt::format("{:%Y-%m-%d %H:%M}", fmt::localtime(at));
}

std::string percent_text(double confidence) {
    return fmt::format("{:g} %", confidence * 100);
}

std::string money(double usd) {
    return usd < 10 ? fmt::format("${:.2f}", usd) : fmt::format("${:.0f}", usd);
}

// Joins the words of a phrase that wrap_text must not break ("4.17 s at 24").
constexpr char k_glue = '\x1f';

std::string glued(std::string text) {
    std::replace(text.begin(), text.end(), ' ', k_glue);
    return text;
}

std::string frame_list(const estimate::FrameTimes& times) {
    std::string out;
    for (const auto& [frame, seconds] : times) {
        if (!out.empty()) out += ", ";
        out += glued(fmt::format("{}: {}", frame, format_seconds(seconds)));
    }
    return out;
}

std::string running_length_text(std::size_t frame_count) {
    std::string out;
    for (const estimate::RunningLength& length : estimate::running_lengths(frame_count)) {
        if (!out.empty()) out += ", ";
        out += glued(fmt::format("{} at {}", format_seconds(length.seconds), length.fps_label));
    }
    return out;
}

// `text` on lines of at most k_columns, broken at spaces (not at glued ones): the first line after
// `first`, the others after `rest`. A word longer than a line stands alone on its line.
std::string wrap_text(std::string_view text, std::string_view first, std::string_view rest) {
    constexpr std::size_t k_columns = 100;
    std::string out(first);
    std::size_t line_start = 0;
    bool line_has_word = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t space = text.find(' ', pos);
        const std::string_view word = text.substr(
            pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
        pos = space == std::string_view::npos ? text.size() : space + 1;
        if (word.empty()) continue;
        if (line_has_word && out.size() - line_start + 1 + word.size() > k_columns) {
            out += "\n";
            line_start = out.size();
            out += rest;
            line_has_word = false;
        }
        if (line_has_word) out += ' ';
        const std::size_t word_start = out.size();
        out += word;
        std::replace(out.begin() + static_cast<std::ptrdiff_t>(word_start), out.end(), k_glue, ' ');
        line_has_word = true;
    }
    return out + "\n";
}

std::string fleet_table_text(const EstimateReport& r, bool utc) {
    const std::string range = percent_text(r.render.confidence) + " range";
    Table table({{"WORKERS", Align::right},
                 {"WALL", Align::right},
                 {range},
                 {utc ? "FINISH UTC" : "FINISH"},
                 {"INSTANCE-H", Align::right},
                 {"COST", Align::right},
                 {"COST RANGE"}});
    for (const estimate::FleetRow& row : r.fleets) {
        std::string workers = std::to_string(row.workers);
        if (row.workers_used < row.workers) workers += fmt::format(" ({} used)", row.workers_used);
        if (row.workers == r.chosen_count) workers = "* " + workers;
        table.add_row(
            {workers, format_seconds(row.wall_seconds),
             r.render.interval_known ? format_seconds(row.wall_low_seconds) + " - " +
                                           format_seconds(row.wall_high_seconds)
                                     : "-",
             clock_text(r.now_ms, row.wall_seconds, utc, false),
             fmt::format("{:.2f}", row.instance_hours), money(row.cost),
             r.render.interval_known ? money(row.cost_low) + " - " + money(row.cost_high) : "-"});
    }
    return table.render("  ");
}

}  // namespace

std::vector<std::size_t> estimate_fleet_sizes(std::size_t count) {
    std::vector<std::size_t> sizes(estimate::k_fleet_sizes.begin(), estimate::k_fleet_sizes.end());
    if (count > 0 && std::find(sizes.begin(), sizes.end(), count) == sizes.end()) {
        sizes.insert(std::upper_bound(sizes.begin(), sizes.end(), count), count);
    }
    return sizes;
}

util::Result<EstimateReport> make_estimate_report(const core::FrameSet& frames,
                                                  SampleMeasurement sample,
                                                  const EstimatePricing& pricing,
                                                  const EstimateArgs& args, std::int64_t now_ms) {
    auto render = estimate::estimate_render_time(frames, sample.seconds, args.confidence);
    if (!render) return render.error();
    EstimateReport r;
    r.frames = frames;
    r.pricing = pricing;
    r.fleet.startup_seconds = args.startup_seconds;
    r.fleet.scene_load_seconds = sample.load_seconds;
    r.fleet.speed_factor = pricing.speed_factor;
    r.fleet.chunk_size = args.chunk();
    r.sample = std::move(sample);
    r.render = std::move(*render);
    const std::vector<std::size_t> sizes = estimate_fleet_sizes(args.count);
    r.fleets = estimate::fleet_table(r.render, r.fleet, pricing.usd_per_hour, sizes);
    r.chosen_count = args.count;
    r.now_ms = now_ms;
    return r;
}

std::string format_estimate(const EstimateReport& r, bool utc) {
    const estimate::RenderTimeEstimate& e = r.render;
    const EstimatePricing& p = r.pricing;
    const bool farm = !r.sample.farm.empty();
    std::string out = wrap_text(
        fmt::format("Estimate for {}, frames {} ({} frames), from {} sampled frame{} rendered {}",
                    r.sample.scene_file, r.frames.to_string(), r.frames.size(),
                    r.sample.seconds.size(), r.sample.seconds.size() == 1 ? "" : "s",
                    farm ? fmt::format("on the farm at {} ({} worker{})", r.sample.farm,
                                       r.sample.farm_workers, r.sample.farm_workers == 1 ? "" : "s")
                         : "here"),
        "", "  ");
    auto fact = [&out](std::string_view label, const std::string& value) {
        out += wrap_text(value, fmt::format("  {:<14} ", label), std::string(17, ' '));
    };
    if (!r.sample.blender_version.empty()) {
        std::string blender = "Blender " + r.sample.blender_version;
        if (!r.sample.engine.empty()) {
            blender += fmt::format(", {} on {}", r.sample.engine, r.sample.device);
        }
        fact("blender", blender);
    }
    fact("samples", frame_list(r.sample.seconds) + " (frame: render time)");
    fact("scene load", format_seconds(r.sample.load_seconds) +
                           " (Blender start and scene load, once per worker)");
    std::string total = format_seconds(e.total_seconds);
    if (e.interval_known) {
        total += fmt::format(" ({} interval {} - {})", percent_text(e.confidence),
                             format_seconds(e.low_seconds), format_seconds(e.high_seconds));
    } else {
        total += " (no interval: one sample shows no spread; sample more frames)";
    }
    fact("render time", total + (farm ? " on one of the farm's workers" : " on this machine"));
    fact("per frame",
         fmt::format("mean {}, slowest {}",
                     format_seconds(e.total_seconds / static_cast<double>(r.frames.size())),
                     format_seconds(e.max_frame_seconds)));
    const double here = r.sample.load_seconds + e.total_seconds;
    fact(farm ? "one worker" : "finish here",
         fmt::format("{} if started now ({} with the scene load)", clock_text(r.now_ms, here, utc),
                     format_seconds(here)));
    fact("running time", running_length_text(r.frames.size()));

    out += fmt::format("\nOn {} {} instances (${:.4f}/h each){}:\n", p.instance.type,
                       p.spot ? "Spot" : "on-demand", p.usd_per_hour,
                       r.chosen_count ? ", * = --count" : "");
    out += fleet_table_text(r, utc);

    out += "\nAssumptions:\n";
    auto assume = [&out](const std::string& text) { out += wrap_text(text, "  - ", "    "); };
    std::string prices;
    if (p.live_spot) {
        prices = fmt::format(
            "prices: Spot ${:.4f}/h, the median of the latest prices in {} zone{} of {} (lowest "
            "${:.4f}, highest ${:.4f}; {}); on-demand ${:.4f}/h from the {} table of {} ({})",
            p.usd_per_hour, p.live_spot->zones, p.live_spot->zones == 1 ? "" : "s", p.live_region,
            p.live_spot->lowest_usd_per_hour, p.live_spot->highest_usd_per_hour, p.price_source,
            p.instance.on_demand_usd_per_hour, p.table_source, p.table_generated, p.table_region);
    } else {
        prices = fmt::format("prices: {} table of {} ({}); {} on-demand ${:.4f}/h", p.table_source,
                             p.table_generated, p.table_region, p.instance.type,
                             p.instance.on_demand_usd_per_hour);
        if (p.spot) {
            prices += fmt::format(", Spot taken as {:.0f} % less (typical; Spot prices move)",
                                  p.instance.typical_spot_discount * 100);
        }
        if (!p.price_note.empty()) prices += ". " + p.price_note;
    }
    assume(prices);
    if (p.candidates.size() > 1) {
        std::string types;
        for (const auto& type : p.candidates) types += (types.empty() ? "" : ", ") + type;
        assume(
            fmt::format("machines: {} matches {} types of the price table ({}); EC2 Fleet "
                        "fills the cheapest pools first, so the {} prices the render, and a "
                        "fleet that lands on dearer or faster types costs accordingly",
                        p.machines, p.candidates.size(), types, p.instance.type));
    }
    if (p.speed_factor_given) {
        assume(fmt::format("speed: a {} renders {:.2f}x as fast as {} (--speed-factor)",
                           p.instance.type, p.speed_factor,
                           p.speed_from_farm ? "the farm's workers" : "this machine"));
    } else if (p.speed_from_farm) {
        assume(
            fmt::format("speed: the samples ran on the farm's workers, so a {} is taken to "
                        "render as fast as they did (1x; if the fleet is of another type, set "
                        "--speed-factor against the workers)",
                        p.instance.type));
    } else {
        assume(fmt::format(
            "speed: a {} has {} vCPUs, this machine {} hardware threads: taken as {:.2f}x as "
            "fast (CPU rendering scales with cores; set --speed-factor{})",
            p.instance.type, p.instance.vcpus, p.local_threads, p.speed_factor,
            p.instance.gpus > 0 ? ", this is a GPU instance" : ""));
    }
    assume(fmt::format(
        "each worker takes {} to boot and start (--startup-seconds), loads the scene once, "
        "then renders tasks of {} frame{}; billed from launch to its last frame, at least {}",
        format_seconds(r.fleet.startup_seconds), r.fleet.chunk_size,
        r.fleet.chunk_size == 1 ? "" : "s", format_seconds(r.fleet.min_billed_seconds)));
    assume(
        "frames between samples are interpolated; the interval comes from how uneven the "
        "samples are. Sample more frames (--sample N) for a narrower one");
    return out;
}

json estimate_json(const EstimateReport& r) {
    const estimate::RenderTimeEstimate& e = r.render;
    const EstimatePricing& p = r.pricing;
    json sampled = json::array();
    json samples = json::array();
    for (const auto& [frame, seconds] : r.sample.seconds) {
        sampled.push_back(frame);
        samples.push_back({{"frame", frame}, {"render_seconds", seconds}});
    }
    json lengths = json::object();
    for (const estimate::RunningLength& length : estimate::running_lengths(r.frames.size())) {
        lengths[std::string(length.fps_label)] = length.seconds;
    }
    json fleets = json::array();
    for (const estimate::FleetRow& row : r.fleets) {
        fleets.push_back({{"workers", row.workers},
                          {"workers_used", row.workers_used},
                          {"wall_seconds", row.wall_seconds},
                          {"wall_seconds_low", row.wall_low_seconds},
                          {"wall_seconds_high", row.wall_high_seconds},
                          {"instance_hours", row.instance_hours},
                          {"cost_usd", row.cost},
                          {"cost_usd_low", row.cost_low},
                          {"cost_usd_high", row.cost_high},
                          {"finish_unix_ms", r.now_ms + std::llround(row.wall_seconds * 1000)}});
    }
    json spot = nullptr;
    if (p.live_spot) {
        spot = {{"region", p.live_region},
                {"zones", p.live_spot->zones},
                {"median_usd_per_hour", p.live_spot->median_usd_per_hour},
                {"lowest_usd_per_hour", p.live_spot->lowest_usd_per_hour},
                {"highest_usd_per_hour", p.live_spot->highest_usd_per_hour}};
    }
    return {{"scene_file", r.sample.scene_file},
            {"frame_set", r.frames.to_string()},
            {"frames", r.frames.size()},
            {"sampled_frames", sampled},
            {"samples", samples},
            {"scene_load_seconds", r.sample.load_seconds},
            {"render_seconds_total", e.total_seconds},
            {"render_seconds_low", e.low_seconds},
            {"render_seconds_high", e.high_seconds},
            {"confidence", e.confidence},
            {"interval_known", e.interval_known},
            {"max_frame_seconds", e.max_frame_seconds},
            {"finish_here_unix_ms",
             r.now_ms + std::llround((r.sample.load_seconds + e.total_seconds) * 1000)},
            {"running_length_seconds", lengths},
            {"instance_type", p.instance.type},
            {"machines", p.machines},
            {"candidate_types", p.candidates},
            {"market", p.spot ? "spot" : "on-demand"},
            {"usd_per_hour", p.usd_per_hour},
            {"speed_factor", p.speed_factor},
            {"speed_factor_from", p.speed_factor_given ? "--speed-factor" : "cores"},
            {"local_threads", p.local_threads},
            {"startup_seconds", r.fleet.startup_seconds},
            {"chunk", r.fleet.chunk_size},
            {"price_table",
             {{"generated", p.table_generated},
              {"region", p.table_region},
              {"source", p.table_source}}},
            {"price_source", p.price_source},
            {"price_note", p.price_note},
            {"spot_price", spot},
            {"sampled_on", r.sample.farm.empty() ? std::string("here") : r.sample.farm},
            {"farm_workers", r.sample.farm_workers},
            {"fleets", fleets}};
}

}  // namespace spotfarm::cli
