#pragma once
// The one follow loop of `spotfarm render`, local or on a cloud fleet: it waits on the manager's
// event stream (GET /events?wait=...), so it wakes the moment the job ends instead of polling on
// a fixed period, and redraws the progress line at least once a second while frames render.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cli/client/api_client.h"
#include "cli/render/render_progress.h"
#include "util/stop_signals.h"

namespace spotfarm::cli {

struct FollowResult {
    std::string status;      // the job's last status: "completed", "failed", "canceled", ...
    std::string stopped_by;  // why the command stopped following early: "interrupted", or what
                             // the fleet said when it could not launch; empty when the job ended
    double wall_seconds = 0;
};

// Why the fleet cannot go on (a launch that keeps failing), checked once per wake; none: fine.
using FleetCheck = std::function<std::optional<std::string>()>;

// Follows `job` until it completes, fails or is canceled, `stop` is raised, or `fleet_check`
// gives a reason.
FollowResult follow_job(ApiClient& api, std::int64_t job, RenderProgress& progress,
                        const util::StopSignals& stop, const FleetCheck& fleet_check = {});

}  // namespace spotfarm::cli
