#pragma once
// How many workers a fleet should have and which of its instances to let go: a pure function of
// the work left, the configured bounds and what each instance is doing. The fleet controller
// (manager/fleet_controller.h) gathers the situation and carries the decision out.
//
// The policy:
// - wanted = ceil(work / frames_per_worker) within [min_workers, max_workers], where work is the
//   frames queued plus the frames being rendered. Instances are started up to `wanted` only while
//   frames are queued: a worker started when nothing is queued would find nothing to claim.
//   Below min_workers the fleet is always filled up.
// - Only live instances count, so one that was interrupted or crashed is replaced by the next
//   decision while work remains.
// - An instance whose worker has not registered within register_timeout of its launch, or whose
//   worker has been gone from the manager that long, is stopped: it bills and renders nothing.
// - Once nothing has been queued for idle_grace, still-starting and idle instances are stopped,
//   down to min_workers; a busy one goes at a later decision, once its task is done. With
//   min_workers = 0 the fleet scales to zero when the work is done, and the grace lets a job
//   submitted soon after reuse the warm fleet.
// - While frames are queued, a surplus over `wanted` is taken only from instances still starting
//   (newest first): a registered worker will claim work.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::core {

struct FleetBounds {
    int min_workers = 0;
    int max_workers = 1;
    int frames_per_worker = 10;  // work that justifies one more worker
    util::Clock::duration idle_grace = std::chrono::minutes(5);
    util::Clock::duration register_timeout = std::chrono::minutes(10);
};

// Says what is wrong with bounds a person configured.
util::Status check_bounds(const FleetBounds& bounds);

// One live instance (starting or running, and not asked to stop).
struct InstanceView {
    std::string id;
    util::Clock::time_point launched_at;  // when the controller first saw it
    // When its worker was last registered, or launched_at if it never was: the register
    // timeout runs from here.
    util::Clock::time_point accounted_at;
    bool ever_registered = false;
    bool registered = false;  // its worker is registered with the manager now
    bool busy = false;        // its worker holds a task
};

struct FleetSituation {
    util::Clock::time_point now;
    std::int64_t queued_frames = 0;                            // waiting for a worker
    std::int64_t active_frames = 0;                            // being rendered
    std::optional<util::Clock::time_point> queue_empty_since;  // nothing queued since then
    std::vector<InstanceView> instances;
};

enum class InstanceStopReason {
    never_registered,  // its worker never reached the manager
    worker_lost,       // its worker registered once but has been gone for the timeout
    worker_left,       // its worker signed off: the instance has nothing more to do
    idle,              // nothing queued for the grace period
    surplus,           // more instances starting than the work left needs
};
std::string_view to_string(InstanceStopReason reason);

struct StopOrder {
    std::string id;
    InstanceStopReason reason = InstanceStopReason::surplus;
};

struct FleetDecision {
    int wanted = 0;    // the size the work asks for, within the bounds
    int live = 0;      // live instances once the stops are done
    int to_start = 0;  // new instances to launch now
    std::vector<StopOrder> to_stop;
};

FleetDecision decide_fleet(const FleetBounds& bounds, const FleetSituation& situation);

}  // namespace spotfarm::core
