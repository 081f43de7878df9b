#pragma once
// Runs a FleetController for a manager: once a tick it reads the farm (on the server's io thread,
// through ManagerService::with_farm), then decides and calls the provider on a thread of its own,
// so a slow EC2 call never holds up the HTTP API. It also notes when each job finished (as the
// state database has it, so a restarted manager knows too), so a job's cost covers its own time,
// and shows the fleet to the API (FleetView).
//
//     FleetRunner runner(provider, clock, options);
//     runner.start(service);   // after service.start()
//     ...
//     runner.stop();           // before service.stop(): with_farm needs a running service

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "manager/fleet_controller.h"
#include "manager/fleet_view.h"

namespace spotfarm::manager {

class Farm;
class ManagerService;

struct FleetRunnerOptions {
    FleetControllerOptions controller;
    std::chrono::milliseconds tick_every{1000};
};

// The farm as the controller sees it: frames of claimable tasks (jobs not paused), frames of
// active tasks, online workers with their instance id and whether they hold a task.
FarmSnapshot farm_snapshot(const Farm& farm);
// The instances whose worker signed off in the events after `after`, which moves past them.
std::vector<std::string> signed_off_instances(Farm& farm, core::EventId& after);

class FleetRunner final : public FleetView {
public:
    // `provider` and `clock` must outlive the runner.
    FleetRunner(providers::Provider& provider, const util::Clock& clock,
                FleetRunnerOptions options);
    ~FleetRunner() override;  // stop()

    // Ticks on a thread of its own until stop(). `service` must run until then.
    void start(ManagerService& service);
    void stop();
    // Terminates every instance of the fleet (the manager is done with it). Stop the runner
    // first, or the next tick may launch again while work is left.
    util::Status stop_fleet();

    // One tick now, for callers that drive the runner themselves.
    TickReport tick(const FarmSnapshot& farm);
    // Notes when each finished job of `farm` finished, for job_cost_json(); run() does it once
    // a tick, on the thread that may use the farm.
    void note_finished_jobs(Farm& farm);

    int live_count() const;
    FleetCost cost() const;

    nlohmann::json fleet_json() override;
    nlohmann::json job_cost_json(core::JobId job, std::int64_t created_ms) override;

private:
    void run(ManagerService& service);

    providers::Provider& m_provider;
    const util::Clock& m_clock;
    FleetRunnerOptions m_options;
    mutable std::mutex m_mutex;  // guards everything below but the thread
    FleetController m_controller;
    std::optional<TickReport> m_last;
    std::map<core::JobId, WallTime> m_job_ended;
    bool m_stopping = false;
    std::condition_variable m_wake;
    std::thread m_thread;
    core::EventId m_events_read;  // the run thread's place in the event log
};

}  // namespace spotfarm::manager
