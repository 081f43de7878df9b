#include "cli/render/render_summary.h"

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/frame_set.h"

namespace spotfarm::cli {

bool RenderOutcome::ok() const {
    return stopped_by.empty() && status == "completed" && missing.empty() &&
           (!fleet || fleet->left.empty());
}

namespace {

std::string shown_status(const RenderOutcome& o) {
    if (o.ok()) return "completed";
    if (!o.stopped_by.empty()) return o.stopped_by;
    return o.status == "completed" ? "incomplete" : o.status;
}

void print_json(const RenderOutcome& o) {
    nlohmann::json out = {{"job", o.job},           {"status", shown_status(o)},
                          {"frames", o.frames},     {"frames_missing", o.missing},
                          {"failures", o.failures}, {"wall_seconds", o.wall_seconds},
                          {"workers", o.workers},   {"output", o.output},
                          {"warnings", o.warnings}};
    if (o.fleet) {
        const FleetOutcome& f = *o.fleet;
        out["fleet"] = f.fleet_id;
        out["instances"] = {{"spot", f.spot}, {"on_demand", f.on_demand}};
        out["pools"] = f.pools;
        out["instance_hours"] = f.instance_hours;
        out["usd"] = f.usd;
        out["cost_notes"] = f.cost_notes;
        out["instances_left"] = f.left;
        out["fleet_kept"] = f.kept;
    }
    std::cout << out.dump(2) << "\n";
}

void print_fleet(const FleetOutcome& f) {
    std::cout << fmt::format("{:<18}{} Spot, {} on-demand\n", "instances", f.spot, f.on_demand);
    if (!f.pools.empty()) {
        std::string spread;
        for (const auto& [pool, count] : f.pools)
            spread += fmt::format("{}{} x {}", spread.empty() ? "" : ", ", count, pool);
        std::cout << fmt::format("{:<18}{}\n", "spread", spread);
    }
    if (f.on_demand > 0 && f.spot_asked) {
        std::cout << "  note: EC2 refused Spot capacity, so " << f.on_demand
                  << " instance(s) ran on-demand, at the on-demand price\n";
    }
    std::cout << fmt::format("{:<18}{:.3f} instance-hours, about ${:.2f}\n", "cost",
                             f.instance_hours, f.usd);
    for (const auto& note : f.cost_notes) std::cout << "  note: " << note << "\n";
}

void print_fleet_end(const FleetOutcome& f) {
    if (f.kept) {
        std::cout << fmt::format("fleet {} kept; end it with `spotfarm cloud down --fleet {}`\n",
                                 f.fleet_id, f.fleet_id);
    } else if (!f.left.empty()) {
        std::cout << "NOT confirmed terminated:";
        for (const auto& instance : f.left) std::cout << " " << instance;
        std::cout << "\nRun `spotfarm cloud down --fleet " << f.fleet_id << "`.\n";
    } else {
        std::cout << "every instance of fleet " << f.fleet_id << " is terminated\n";
    }
}

void print_text(const RenderOutcome& o) {
    std::cout << fmt::format("{:<18}{}\n", "job", o.job);
    std::cout << fmt::format("{:<18}{}\n", "status", shown_status(o));
    std::cout << fmt::format("{:<18}{} of {}\n", "frames on disk", o.frames - o.missing.size(),
                             o.frames);
    std::cout << fmt::format("{:<18}{:.1f} s with {}\n", "wall time", o.wall_seconds,
                             o.workers_text);
    if (o.fleet) print_fleet(*o.fleet);
    std::cout << fmt::format("{:<18}{}\n", "output", o.output);
    for (const auto& reason : o.failures) std::cout << "failed: " << reason << "\n";
    for (const auto& warning : o.warnings) std::cout << "warning: " << warning << "\n";
    if (!o.missing.empty()) {
        std::cout << "missing or empty on disk: "
                  << core::FrameSet::from_frames(o.missing).to_string() << "\n";
    }
    if (o.fleet) print_fleet_end(*o.fleet);
    if (!o.ok() && o.stopped_by != "interrupted") {
        std::cout << "Logs: " << o.logs.string()
                  << ". Fix the cause and run the same command again: finished frames are kept.\n";
    }
}

}  // namespace

std::vector<std::string> warning_lines(const protocol::JobDetail& job) {
    std::vector<std::string> lines;
    for (const protocol::JobWarning& w : job.warnings) {
        lines.push_back(w.message + " (frame" + (w.frames.size() == 1 ? " " : "s ") +
                        w.frames.to_string() + ")");
    }
    return lines;
}

void print_render_summary(const RenderOutcome& outcome, bool json) {
    if (json) {
        print_json(outcome);
    } else {
        print_text(outcome);
    }
}

}  // namespace spotfarm::cli
