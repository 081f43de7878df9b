#pragma once
// The farm as a service: what the HTTP routes call. It keeps the scheduler's state in memory and
// in the store, applying each transition to both in one transaction; opened on an existing
// database it carries on where the last manager stopped, however it stopped: completed tasks stay
// completed, and tasks that were active come back to the queue when their lease (restarted at
// opening) runs out without a heartbeat.
//
// Threading: single-threaded by contract. The manager runs one io_context thread and calls the
// Farm only from it; nothing here locks. Callbacks run inside the call that caused them, after its
// commit, and must not call the Farm again (post to the io_context instead).

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/scheduler.h"
#include "manager/farm_types.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::manager {

class JobWarnings;

class Farm {
public:
    // Opens (or creates) the state database and restores the farm from it.
    static util::Result<std::unique_ptr<Farm>> open(const std::filesystem::path& database,
                                                    const util::Clock& clock,
                                                    core::SchedulerPolicy policy = {});
    ~Farm();
    Farm(const Farm&) = delete;
    Farm& operator=(const Farm&) = delete;

    // --- workers ----------------------------------------------------------------------------
    util::Result<WorkerCredentials> register_worker(core::WorkerInfo info);
    bool authenticate_worker(core::WorkerId worker, std::string_view secret) const;
    // The next task for the worker, or nothing now. `warm`: the job its Blender session holds;
    // `limits`: what the worker declines (core::ClaimLimits).
    util::Result<std::optional<Assignment>> claim(core::WorkerId worker,
                                                  std::optional<core::JobId> warm = {},
                                                  core::ClaimLimits limits = {});
    // Whether a worker's report on a task names the attempt it may report on: its own latest
    // attempt at the task (the one it holds now, or the last it had, for results that come after
    // its lease lapsed). conflict otherwise, so that the reports of an older attempt, from before
    // the worker claimed the task again, can neither end nor extend the new one. Changes nothing.
    util::Status check_attempt(core::TaskId task, core::WorkerId worker, core::AttemptId attempt);
    util::Result<HeartbeatAnswer> heartbeat(core::TaskId task, core::WorkerId worker,
                                            Progress progress);
    // Idempotent: a repeat of accepted results answers already_accepted and counts nothing.
    // Results that arrive after the worker lost its lease still count unless another worker's did.
    util::Result<core::CompleteOutcome> complete(core::TaskId task, core::WorkerId worker,
                                                 std::vector<core::FrameResult> results);
    util::Result<core::FailOutcome> fail(core::TaskId task, core::WorkerId worker,
                                         std::string error, std::string log_tail);
    // The worker leaves: its tasks return to the queue at once.
    util::Result<std::vector<core::TaskId>> drain(core::WorkerId worker);
    // The worker gives a task back as it leaves. With every frame of the task in `finished` this
    // completes it; otherwise the task is queued again at once and no failure is counted (the
    // frames already finished are rendered again: a task is done whole or not at all).
    // Returns whether the worker still held the task.
    util::Result<bool> release(core::TaskId task, core::WorkerId worker,
                               std::vector<core::FrameResult> finished);
    // The worker is gone: its tasks return to the queue; it is offline until it calls again.
    util::Result<std::vector<core::TaskId>> sign_off(core::WorkerId worker);
    // Expired leases back to the queue, silent workers offline. Call every second or so.
    util::Result<ReapReport> reap(util::Clock::time_point now);

    // --- jobs -------------------------------------------------------------------------------
    util::Result<core::JobId> submit(core::JobSpec spec);
    std::vector<JobSummary> list_jobs() const;  // oldest first
    util::Result<JobDetail> show_job(core::JobId job) const;
    util::Status cancel(core::JobId job);
    util::Status pause(core::JobId job);
    util::Status resume(core::JobId job);
    util::Status requeue_failed(core::JobId job);
    util::Status delete_job(core::JobId job);
    util::Status set_priority(core::JobId job, int priority);

    // --- tasks, workers, events ---------------------------------------------------------------
    util::Result<std::vector<TaskSummary>> list_tasks(core::JobId job,
                                                      const TaskFilter& filter = {}) const;
    util::Result<TaskDetail> show_task(core::TaskId task);
    std::vector<WorkerSummary> list_workers() const;
    util::Result<WorkerSummary> show_worker(core::WorkerId worker) const;
    util::Result<std::vector<core::Event>> events_since(core::EventId after,
                                                        std::size_t limit = 1000);
    // When a finished job finished (Unix ms, kept in the state database); nullopt when the job
    // never finished.
    util::Result<std::optional<std::int64_t>> job_finished_ms(core::JobId job);

    // --- frames of transfer jobs (farm_frames.cpp) -------------------------------------------
    // Records a frame the output store now holds, replacing an earlier upload's row; saved with
    // the open batch (answer its caller after the flush), or at once without group commit.
    util::Status record_frame_file(const store::FrameFileRow& row);
    util::Result<std::vector<store::FrameFileRow>> frame_files(core::JobId job);
    util::Result<std::optional<store::FrameFileRow>> frame_file(core::JobId job, int frame);

    // Called after a transition that made tasks claimable (submit, resume, requeue, a returned
    // task), so the HTTP layer can answer waiting long-poll claims.
    void on_work_available(std::function<void()> callback);
    // Called with each event, after it was saved.
    void on_event(std::function<void(const core::Event&)> callback);
    // Called with each attempt that ended (completed, failed, lease expired, released, stopped
    // with its job, superseded), after it was saved: what was kept for the running attempt only,
    // such as its live log, goes with it. A report that changed nothing ends no attempt.
    void on_attempt_ended(std::function<void(const core::AttemptEnd&)> callback);
    // Called with everything each transition changed, after it was saved (the dashboard's
    // live view: which jobs, tasks and workers to show again).
    void on_changes(std::function<void(const core::Changes&)> callback);

    // Group commit. From now on a transition is written into one open transaction shared with
    // the transitions after it, and `schedule_flush` is called when the first of them is
    // written; the owner then calls flush() soon, and answers the callers of those transitions
    // only after it succeeded (unflushed() says whether any wait). One commit for many
    // transitions, and still nothing answered before it is saved.
    void batch_commits(std::function<void()> schedule_flush);
    // Commits the open batch. An error means every transition since the last flush is lost (the
    // state in memory was rebuilt from the store): their callers must be told so.
    util::Status flush();
    bool unflushed() const { return m_unflushed || m_batch_lost; }

    const core::Scheduler& scheduler() const { return *m_scheduler; }
    const core::SchedulerPolicy& policy() const { return m_scheduler->policy(); }

private:
    Farm(const util::Clock& clock, core::SchedulerPolicy policy,
         std::unique_ptr<store::Store> store);

    // Saves what a transition changed and tells the listeners. On a storage failure the state
    // in memory is rebuilt from the store, which still holds the last committed state.
    util::Status persist(const core::Changes& changes);
    // Runs `write` in the open batch (opening one when `batched`), or on its own without group
    // commit. A failure drops the batch and rebuilds the state in memory from the store.
    util::Status write_batched(const std::function<util::Status()>& write, bool batched = true);
    util::Status reload();
    // Runs `transition(changes)` and persists its changes, also when it refused.
    template <class Transition>
    auto run(Transition&& transition) -> decltype(transition(std::declval<core::Changes&>()));

    TaskSummary summarize(const core::Task& task) const;
    double seconds_left(util::Clock::time_point deadline) const;

    const util::Clock& m_clock;
    core::SchedulerPolicy m_policy;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<core::Scheduler> m_scheduler;
    std::unique_ptr<JobWarnings> m_warnings;                // of the frames rendered, by job
    std::unordered_map<core::TaskId, Progress> m_progress;  // of active tasks
    std::function<void()> m_on_work;
    std::function<void(const core::Event&)> m_on_event;
    std::function<void(const core::AttemptEnd&)> m_on_attempt_ended;
    std::function<void(const core::Changes&)> m_on_changes;
    std::function<void()> m_schedule_flush;  // set: group commit
    bool m_unflushed = false;                // a batch holds transitions not yet committed
    bool m_batch_lost = false;               // a batch failed since the last flush()
};

}  // namespace spotfarm::manager
