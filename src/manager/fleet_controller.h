#pragma once
// The fleet controller: once a second the manager tells it how much work is left and which
// workers are registered, and it launches and stops workers through a provider so that the fleet
// follows the work (core/fleet_sizing.h holds the policy). It replaces instances that were
// interrupted, stops instances whose worker never registers, scales to zero once nothing has been
// queued for the grace period, and keeps a ledger of instance-hours and prices.
//
// Independent of HTTP: the manager builds a FarmSnapshot from its farm and calls tick() from one
// thread. Not thread-safe. Provider calls block (EC2: an HTTP request each), so the manager should
// tick off its I/O thread, or accept a pause of that length once per refresh interval.
//
// Matching workers to instances: a provider gives each worker its instance id
// (core/instance_identity.h), the worker registers with the tag "instance=ID", and the manager
// reports that id in RegisteredWorker::instance_id.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/fleet_sizing.h"
#include "manager/fleet_ledger.h"
#include "providers/provider.h"
#include "util/clock.h"

namespace spotfarm::manager {

struct RegisteredWorker {
    std::string instance_id;  // from its "instance=ID" tag; empty when not started by a provider
    bool busy = false;        // it holds a task
};

// The farm as the controller needs it. Workers the manager considers offline are left out.
struct FarmSnapshot {
    std::int64_t queued_frames = 0;  // frames of claimable tasks
    std::int64_t active_frames = 0;  // frames of tasks leased to workers
    std::vector<RegisteredWorker> workers;
    // Instances whose worker signed off since the last snapshot (a rebalance recommendation, an
    // interruption notice, a shutdown): the instance is stopped at once and replaced while work
    // remains, instead of waiting for it to power itself off.
    std::vector<std::string> left_instances;
};

struct FleetControllerOptions {
    core::FleetBounds bounds;
    PriceFn price;  // empty: no instance is priced
    std::map<std::string, std::string>
        tags;  // on every worker launched, e.g. {"spotfarm:job", "7"}
    // How often to ask the provider for its instances (a DescribeInstances call on EC2); a tick
    // that launched or stopped something asks again at the next tick.
    util::Clock::duration refresh_every = std::chrono::seconds(10);
    // After a launch that failed or fell short (no capacity), wait before the next one; doubled
    // at each failure in a row, up to launch_retry_max.
    util::Clock::duration launch_retry_delay = std::chrono::seconds(30);
    util::Clock::duration launch_retry_max = std::chrono::minutes(5);
    // After this many instances in a row whose worker never registered, launch no more: the
    // user-data, the AMI, the manager URL or the security group is wrong, and every new instance
    // would fail the same way. 0: never give up.
    int give_up_after_unregistered = 3;
    // A stop the provider has not carried out this long after it was asked is asked again.
    util::Clock::duration stop_retry_after = std::chrono::minutes(1);
};

struct TickReport {
    core::FleetDecision decision;
    std::vector<std::string> started;      // instance ids launched now
    std::vector<std::string> stopped;      // instance ids asked to stop now
    std::vector<std::string> interrupted;  // instances found stopped without being asked to
    std::vector<std::string> events;       // for people: what happened and why
    std::vector<std::string> errors;       // provider calls that failed; the next tick retries
};

class FleetController {
public:
    // `provider` and `clock` must outlive the controller. The options' bounds must pass
    // core::check_bounds() (they are clamped into shape otherwise).
    FleetController(providers::Provider& provider, const util::Clock& clock,
                    FleetControllerOptions options);

    // One round: look at the provider's instances (when due), decide, stop, launch.
    TickReport tick(util::Clock::time_point now, const FarmSnapshot& farm);

    // Stops every instance of the fleet, for a manager that is done with it: a later tick()
    // with work left would launch again.
    util::Status stop_all();

    // The fleet's cost so far, and what fell within a job's lifetime.
    FleetCost cost() const;
    FleetCost cost_between(WallTime from, WallTime to) const;
    const FleetLedger& ledger() const { return m_ledger; }

    // Set once launching was given up (see give_up_after_unregistered); empty otherwise.
    const std::string& launch_stopped_reason() const { return m_launch_stopped; }
    // Launch again after the cause was fixed.
    void resume_launching();

    // Live instances (starting or running, not asked to stop).
    int live_count() const;

private:
    struct Tracked {
        providers::WorkerInstance instance;
        util::Clock::time_point first_seen;
        util::Clock::time_point accounted_at;
        bool listed = false;  // seen in a provider listing at least once
        bool ever_registered = false;
        bool registered = false;
        bool busy = false;
        bool gone = false;  // stopped, stopping or vanished
        std::optional<util::Clock::time_point> stop_requested_at;
    };

    void refresh(util::Clock::time_point now, TickReport& report);
    void merge_listing(const std::vector<providers::WorkerInstance>& listed,
                       util::Clock::time_point now, TickReport& report);
    void mark_gone(Tracked& tracked, TickReport& report);
    void note_registrations(util::Clock::time_point now, const FarmSnapshot& farm);
    core::FleetSituation situation(util::Clock::time_point now, const FarmSnapshot& farm) const;
    void stop(const std::vector<core::StopOrder>& orders, util::Clock::time_point now,
              TickReport& report);
    void launch(int count, util::Clock::time_point now, TickReport& report);
    void launch_failed(util::Clock::time_point now);

    providers::Provider& m_provider;
    const util::Clock& m_clock;
    FleetControllerOptions m_options;
    FleetLedger m_ledger;
    std::map<std::string, Tracked> m_instances;
    std::optional<util::Clock::time_point> m_last_refresh;
    bool m_refresh_now = true;
    std::optional<util::Clock::time_point> m_queue_empty_since;
    std::optional<util::Clock::time_point> m_launch_blocked_until;
    int m_launch_failures = 0;
    int m_unregistered_in_a_row = 0;
    std::string m_launch_stopped;
    std::string m_session;  // makes launch request ids unique across manager restarts
    std::uint64_t m_launches = 0;
};

}  // namespace spotfarm::manager
