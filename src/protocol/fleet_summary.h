#pragma once
// What a manager that runs a fleet shows of it (GET /fleet, GET /jobs/{id}/cost) as wire structs,
// written by the manager and read by every client with the checked readers of protocol.h. A
// manager without a fleet answers both with 404. docs/api.md has the shapes.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "protocol/protocol.h"

namespace spotfarm::protocol {

// Instance-hours and their price. `usd` covers the priced hours only; `notes` say what could
// not be priced.
struct CostSummary {
    double usd = 0;
    double instance_hours = 0;
    std::vector<std::string> notes;

    bool operator==(const CostSummary&) const = default;
};

// One instance the fleet launched, running or not.
struct FleetInstance {
    std::string id;                      // the provider's id ("i-0abc…", a local pid name)
    std::string kind;                    // "c7i.4xlarge", "local"
    std::string zone;                    // availability zone, when the provider knows
    bool interruptible = false;          // Spot
    bool running = false;                // false once it stopped billing
    std::optional<double> usd_per_hour;  // absent when it could not be priced
    // The provider's own word on its state: Slurm's "PENDING (Resources)", "RUNNING", sacct's
    // "TIMEOUT 0:0". Empty for providers without one (on the wire always, "" then).
    std::string detail;
    // When it was launched (submitted, for Slurm), ISO 8601 UTC "2026-12-05T10:15:00Z"; absent
    // from a manager that predates the field.
    std::optional<std::string> launched_at;

    bool operator==(const FleetInstance&) const = default;
};

// GET /fleet.
struct FleetSummary {
    std::string provider;       // "local", "aws", ...
    int live = 0;               // instances that are up or starting
    std::optional<int> wanted;  // the size the work asks for; absent before the first tick
    std::vector<FleetInstance> instances;
    CostSummary cost;  // of the whole fleet so far
    // Why no more instances are launched (e.g. the account's limit), when that is so.
    std::optional<std::string> launch_stopped;
    // Instances that stopped without being asked to (Spot reclaimed, Slurm ended the job), over
    // the fleet's whole life; 0 from a manager that predates the field.
    int interruptions = 0;

    bool operator==(const FleetSummary&) const = default;
};

// GET /jobs/{id}/cost: what the fleet cost from the job's submission to its end (or now); on the
// wire the cost's fields and these beside them.
struct JobCost {
    CostSummary cost;
    double fleet_usd = 0;  // the whole fleet's cost so far, for comparison
    std::string provider;

    bool operator==(const JobCost&) const = default;
};

nlohmann::json to_json(const CostSummary& v);
nlohmann::json to_json(const FleetInstance& v);
nlohmann::json to_json(const FleetSummary& v);
nlohmann::json to_json(const JobCost& v);

template <>
util::Result<CostSummary> from_json<CostSummary>(const nlohmann::json& j);
template <>
util::Result<FleetInstance> from_json<FleetInstance>(const nlohmann::json& j);
template <>
util::Result<FleetSummary> from_json<FleetSummary>(const nlohmann::json& j);
template <>
util::Result<JobCost> from_json<JobCost>(const nlohmann::json& j);

}  // namespace spotfarm::protocol
