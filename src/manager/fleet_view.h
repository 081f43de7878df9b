#pragma once
// What the API shows of a manager's fleet (GET /fleet, GET /jobs/{id}/cost). The fleet runner
// implements it; a manager without a fleet has none. Called from the server's io thread.

#include <chrono>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/ids.h"

namespace spotfarm::manager {

class FleetView {
public:
    virtual ~FleetView() = default;
    // protocol::FleetSummary as JSON.
    virtual nlohmann::json fleet_json() = 0;
    // What the fleet cost while the job ran (from its creation, `created_ms` Unix time, to its
    // end or now): protocol::JobCost as JSON.
    virtual nlohmann::json job_cost_json(core::JobId job, std::int64_t created_ms) = 0;
};

}  // namespace spotfarm::manager
