#include "blender/render_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/duration_text.h"

namespace spotfarm::blender {

const char* to_string(FrameOutcome outcome) {
    switch (outcome) {
        case FrameOutcome::rendered:
            return "rendered";
        case FrameOutcome::skipped:
            return "skipped";
        case FrameOutcome::failed:
            return "failed";
    }
    return "failed";
}

RunStats compute_stats(const std::vector<FrameRecord>& frames) {
    RunStats stats;
    std::vector<double> times;
    for (const auto& f : frames) {
        switch (f.outcome) {
            case FrameOutcome::rendered:
                ++stats.rendered;
                times.push_back(f.render_seconds);
                break;
            case FrameOutcome::skipped:
                ++stats.skipped;
                break;
            case FrameOutcome::failed:
                ++stats.failed;
                break;
        }
    }
    if (times.empty()) return stats;
    std::sort(times.begin(), times.end());
    size_t n = times.size();
    stats.min_render_seconds = times.front();
    stats.max_render_seconds = times.back();
    stats.median_render_seconds = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    for (double t : times) stats.total_render_seconds += t;
    return stats;
}

std::string format_report(const RunHeader& h, const std::vector<FrameRecord>& frames) {
    RunStats s = compute_stats(frames);
    std::string out;
    out += fmt::format("{} frames of {}{}\n", frames.size(), h.scene_file,
                       h.interrupted ? " (interrupted)" : "");
    if (!h.blender_version.empty()) {
        out += fmt::format("  {:<10} Blender {}, {}, {}\n", "blender", h.blender_version, h.engine,
                           h.device);
    }
    out += fmt::format("  {:<10} {}\n", "rendered", s.rendered);
    if (s.skipped)
        out += fmt::format("  {:<10} {} (valid output already on disk)\n", "skipped", s.skipped);
    out += fmt::format("  {:<10} {}\n", "failed", s.failed);
    if (s.rendered) {
        out += fmt::format("  {:<10} min {}  median {}  max {}  (per frame, in Blender)\n",
                           "render", util::format_seconds(s.min_render_seconds),
                           util::format_seconds(s.median_render_seconds),
                           util::format_seconds(s.max_render_seconds));
    }
    out += fmt::format("  {:<10} {} wall, {} Blender process{}\n", "total",
                       util::format_seconds(h.wall_seconds), h.processes,
                       h.processes == 1 ? "" : "es");
    out += fmt::format("  {:<10} {}\n", "output", h.output_pattern);
    if (s.failed) {
        out += "failures:\n";
        for (const auto& f : frames) {
            if (f.outcome == FrameOutcome::failed) {
                out += fmt::format("  frame {:<6} {}\n", f.frame, f.error);
            }
        }
    }
    return out;
}

nlohmann::json report_json(const RunHeader& h, const std::vector<FrameRecord>& frames,
                           int exit_code) {
    RunStats s = compute_stats(frames);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : frames) {
        nlohmann::json j = {
            {"frame", f.frame}, {"status", to_string(f.outcome)}, {"output", f.output.string()}};
        if (f.outcome == FrameOutcome::rendered) {
            j["render_seconds"] = f.render_seconds;
            j["wall_seconds"] = f.wall_seconds;
        }
        if (f.outcome == FrameOutcome::failed) j["error"] = f.error;
        list.push_back(std::move(j));
    }
    return {{"scene_file", h.scene_file},
            {"blender_version", h.blender_version},
            {"engine", h.engine},
            {"device", h.device},
            {"output_pattern", h.output_pattern},
            {"frames_total", frames.size()},
            {"rendered", s.rendered},
            {"skipped", s.skipped},
            {"failed", s.failed},
            {"render_seconds",
             {{"min", s.min_render_seconds},
              {"median", s.median_render_seconds},
              {"max", s.max_render_seconds},
              {"total", s.total_render_seconds}}},
            {"wall_seconds", h.wall_seconds},
            {"processes", h.processes},
            {"interrupted", h.interrupted},
            {"exit_code", exit_code},
            {"frames", list}};
}

}  // namespace spotfarm::blender
