#pragma once
// The end of `spotfarm render`, local or on a cloud fleet: one table for people or one JSON
// object for scripts, and the exit code.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/job_summary.h"

namespace spotfarm::cli {

// What the fleet of a cloud render cost and whether it is gone.
struct FleetOutcome {
    std::string fleet_id;
    int spot = 0;
    int on_demand = 0;
    // Instances by pool: "c7i.4xlarge in eu-west-1a" -> how many ran there.
    std::map<std::string, int> pools;
    bool spot_asked = true;  // without --on-demand: on-demand instances mean Spot was refused
    double instance_hours = 0;
    double usd = 0;
    std::vector<std::string> cost_notes;
    std::vector<std::string> left;  // instances not confirmed terminated
    bool kept = false;              // --keep-fleet
};

struct RenderOutcome {
    std::int64_t job = 0;
    std::string status;      // the job's status as the manager had it
    std::string stopped_by;  // FollowResult::stopped_by
    std::size_t frames = 0;
    std::vector<int> missing;           // not on disk, or not whole
    std::vector<std::string> failures;  // "frames 3: why\n    log tail"
    // What rendered frames warned of (a missing file, a fallback, another device): "message
    // (frames 1-24)". Frames with warnings still count as done: these say they may look wrong.
    std::vector<std::string> warnings;
    double wall_seconds = 0;
    int workers = 0;                    // local workers, or instances at most
    std::string workers_text;           // "2 workers", "up to 10 aws instances"
    std::string output;                 // the output pattern
    std::filesystem::path logs;         // where the workers' logs are
    std::optional<FleetOutcome> fleet;  // a cloud render's

    // Every frame on disk and valid, and (cloud) every instance gone or kept on purpose.
    bool ok() const;
};

// The job's warnings as RenderOutcome::warnings holds them.
std::vector<std::string> warning_lines(const protocol::JobDetail& job);

// Prints the outcome to stdout (text, or JSON with `json`).
void print_render_summary(const RenderOutcome& outcome, bool json);

}  // namespace spotfarm::cli
