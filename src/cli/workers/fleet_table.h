#pragma once
// A manager's fleet (GET /fleet) as people read it under `spotfarm workers`: one row an instance
// with the provider's own word on its state (Slurm's "PENDING (Resources)") and its launch time.

#include <cstdint>
#include <string>

#include "protocol/fleet_summary.h"

namespace spotfarm::cli {

// A summary line (provider, live, wanted, interruptions, cost) and INSTANCE, KIND, ZONE, STATE,
// PROVIDER STATE, LAUNCHED; only the summary line when the fleet has no instance yet.
std::string render_fleet_table(const protocol::FleetSummary& fleet, std::int64_t now_ms);

}  // namespace spotfarm::cli
