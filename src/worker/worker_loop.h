#pragma once
// The worker: register, long-poll for tasks, render them, report, and leave cleanly. Every side
// effect is behind an interface (manager, renderer, clock, sleeper, watcher), so the whole life of
// a worker, drains and outages included, is tested without Blender, a network or a real wait.
//
// Reports go to the on-disk outbox before they are sent, and are sent oldest first whenever the
// manager answers; a manager that is down costs time, never a finished frame.
//
// Leaving (SIGTERM/SIGINT, a spot interruption notice, a rebalance hint): claim nothing more; let
// the frame in progress finish if it will inside the window, else stop it; give the task back
// with its finished frames (release); deliver the outbox; drain; sign off; return success.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>

#include "protocol/protocol.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/result.h"
#include "worker/drain_monitor.h"
#include "worker/frame_renderer.h"
#include "worker/interruption_watcher.h"
#include "worker/job_tree.h"
#include "worker/manager_api.h"
#include "worker/outbox.h"
#include "worker/sleeper.h"

namespace spotfarm::worker {

struct WorkerConfig {
    protocol::RegisterRequest info;   // what to register with
    std::string manager;              // the manager's API root: a saved registration is for it only
    std::filesystem::path state_dir;  // where the registration is kept; empty: nowhere
    std::chrono::seconds claim_wait{20};
    // After a first SIGTERM/SIGINT, how long the worker may still run.
    util::Clock::duration drain_grace = std::chrono::seconds(20);
    // Kept free before a drain's deadline, for reporting: a frame must end before it.
    util::Clock::duration report_margin = std::chrono::seconds(5);
    util::Clock::duration backoff_base = std::chrono::seconds(1);
    util::Clock::duration backoff_cap = std::chrono::seconds(60);
    // The manager silent this long: stop (zero: never).
    util::Clock::duration give_up_after = std::chrono::minutes(10);
    // Time for reporting when leaving without a deadline (a rebalance hint).
    util::Clock::duration leave_time = std::chrono::seconds(60);
    // Decline jobs whose scene may run Python: the claim says so, and an assignment of such a job
    // (from a manager that ignores the claim's word) fails at once without starting Blender.
    bool refuse_scripts = false;
    // When the machine's allocation ends (a Slurm job's time limit), by the wall clock: no frame
    // is claimed that could not finish before it (DrainMonitor::set_time_limit). None: no end.
    std::optional<std::chrono::system_clock::time_point> time_limit;
    std::uint64_t seed = std::random_device{}();  // for back-off jitter
};

struct WorkerServices {
    ManagerApi& manager;
    FrameRenderer& renderer;
    Outbox& outbox;
    const util::Clock& clock;
    util::Sleeper& sleeper;
    InterruptionWatcher* watcher = nullptr;     // none: not on a spot machine
    const std::atomic<int>* signals = nullptr;  // SIGTERM/SIGINT received, bumped by the handler
    JobTrees* trees = nullptr;                  // transfer-mode jobs' files; none: such tasks fail
};

struct WorkerSummary {
    int tasks_completed = 0;
    int tasks_failed = 0;
    int tasks_released = 0;   // given back unfinished when leaving
    int tasks_dropped = 0;    // the manager said stop
    int reports_refused = 0;  // set aside in the outbox's refused/ folder
};

class WorkerLoop {
public:
    WorkerLoop(WorkerConfig config, WorkerServices services);

    // Runs until the worker has left (success) or cannot go on: its token refused, a request
    // refused that it cannot do without, or the manager silent for give_up_after.
    util::Status run();

    const WorkerSummary& summary() const { return m_summary; }
    std::optional<std::int64_t> worker_id() const;

private:
    util::Status start();
    util::Status register_anew();
    util::Status claim_and_run();
    util::Status run_assignment(const protocol::Assignment& task);
    // A task this worker cannot read: fails it with the reason.
    void refuse_assignment(const UnreadableTask& task);
    // Puts the report in the outbox (or sends it, without a disk); never throws.
    void keep_report(std::int64_t task_id, Report report);
    void keep_report_or_throw(std::int64_t task_id, Report report);
    // Sends the outbox oldest first. True: all sent; false: the manager is out of reach.
    util::Result<bool> deliver_outbox();
    util::Status send(const PendingReport& report);
    util::Status leave();
    // A refused secret right after resuming a saved registration: register anew instead.
    bool try_fresh_identity(const util::Error& error);
    util::Status wait_after_failure(const util::Error& error);
    void contact_ok();
    // Calls `call` until it succeeds, fails for good, or `until` passes. True: succeeded.
    template <class Call>
    util::Result<bool> retry_until(util::Clock::time_point until, Call call);

    WorkerConfig m_config;
    WorkerServices m_services;
    DrainMonitor m_drain;
    util::Backoff m_backoff;
    std::optional<protocol::Registration> m_registration;
    bool m_identity_confirmed = false;  // the manager has accepted this identity's secret
    std::optional<util::Clock::time_point> m_unreachable_since;
    std::uint64_t m_task_seed = 0;
    WorkerSummary m_summary;
};

}  // namespace spotfarm::worker
