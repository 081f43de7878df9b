#pragma once
// The farm's state in memory: jobs, their tasks and queues, workers and leases, and every
// transition between them. No I/O: each transition fills a Changes record that the caller persists
// in one transaction. Claims cost O(log n) at a million tasks and ten thousand workers.
//
// Not thread-safe: one thread owns a Scheduler.

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/changes.h"
#include "core/job.h"
#include "core/policy.h"
#include "core/task.h"
#include "core/task_queue.h"
#include "core/worker.h"
#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::core {

enum class HeartbeatReply : std::uint8_t { keep_going, stop };
enum class StopReason : std::uint8_t { none, canceled, paused, reassigned, job_failed, gone };
std::string_view to_string(StopReason reason);

struct HeartbeatResult {
    HeartbeatReply reply = HeartbeatReply::keep_going;
    StopReason reason = StopReason::none;
};

enum class CompleteOutcome : std::uint8_t {
    accepted,            // counted now
    already_accepted,    // this worker's results were counted before: nothing changes
    completed_by_other,  // another worker's results were counted: these are dropped
};
std::string_view to_string(CompleteOutcome outcome);

enum class FailOutcome : std::uint8_t {
    retrying,  // back in the queue for another worker
    failed,    // failed for good
    stale,     // the worker no longer held the task: nothing changes
};
std::string_view to_string(FailOutcome outcome);

// What a worker declines when it claims.
struct ClaimLimits {
    bool refuse_scripts = false;  // no job whose scene may run Python
};

// Everything a store saved, to rebuild a scheduler from after a restart.
struct SchedulerRecords {
    struct JobRecord {
        Job job;
        std::vector<Task> tasks;  // consecutive ids, in frame order
    };
    std::vector<JobRecord> jobs;
    std::vector<Worker> workers;
    AttemptId last_attempt;
    EventId last_event;
};

class Scheduler {
public:
    Scheduler(const util::Clock& clock, SchedulerPolicy policy = {});

    // Rebuilds the state a store saved. Leases of active tasks restart now (the lease holder may
    // still be working and can heartbeat); silent workers go offline after the worker timeout.
    util::Status restore(SchedulerRecords records);

    const SchedulerPolicy& policy() const { return m_policy; }

    // --- transitions ------------------------------------------------------------------------
    util::Result<JobId> submit(JobSpec spec, Changes& changes);
    WorkerId register_worker(WorkerInfo info, std::string secret_hash, Changes& changes);

    // The next task for `worker`: the highest priority, then oldest job, first frames first; the
    // job its Blender session holds (`warm`, else its latest job) wins unless a higher priority
    // job waits. Nothing for a draining worker or when no task suits it (`limits` included).
    util::Result<std::optional<TaskId>> claim(WorkerId worker, std::optional<JobId> warm,
                                              Changes& changes, ClaimLimits limits = {});
    // Extends the lease while the worker holds it; otherwise says why to stop.
    util::Result<HeartbeatResult> heartbeat(TaskId task, WorkerId worker, Changes& changes);
    // `late_attempt`: the worker's own earlier attempt on the task when it no longer holds the
    // lease; its results still count unless another worker's did.
    util::Result<CompleteOutcome> complete(TaskId task, WorkerId worker,
                                           std::vector<FrameResult> results,
                                           std::optional<AttemptId> late_attempt, Changes& changes);
    util::Result<FailOutcome> fail(TaskId task, WorkerId worker, std::string error,
                                   std::string log_tail, Changes& changes);
    // Returns the worker's tasks to the queue at once; it claims no more.
    util::Result<std::vector<TaskId>> drain(WorkerId worker, Changes& changes);
    // Gives one task back unfinished (its worker is leaving): queued again at once, no failure
    // counted. False when the worker no longer held the task (nothing changes).
    util::Result<bool> release(TaskId task, WorkerId worker, Changes& changes);
    // The worker is gone: its tasks return to the queue and it is offline until it calls again.
    util::Result<std::vector<TaskId>> sign_off(WorkerId worker, Changes& changes);
    // Returns tasks whose lease ran out to the queue and marks silent workers offline.
    void reap(util::Clock::time_point now, Changes& changes);
    // Notes that the worker called; an offline worker comes back online.
    util::Status touch_worker(WorkerId worker, Changes& changes);

    util::Status pause(JobId job, Changes& changes);
    util::Status resume(JobId job, Changes& changes);
    util::Status cancel(JobId job, Changes& changes);
    // Queues the job's failed (and canceled) tasks again, forgetting their failures and the job's
    // blocklist.
    util::Status requeue_failed(JobId job, Changes& changes);
    util::Status remove(JobId job, Changes& changes);
    // Moves the job in the claim order (k_min_priority..k_max_priority, higher first); tasks
    // already leased keep running.
    util::Status set_priority(JobId job, int priority, Changes& changes);

    // --- queries ----------------------------------------------------------------------------
    const Job* find_job(JobId id) const;
    const Task* find_task(TaskId id) const;
    const Worker* find_worker(WorkerId id) const;
    std::span<const Task> tasks_of(JobId id) const;  // in frame order
    std::vector<const Job*> jobs() const;            // oldest first
    std::vector<const Worker*> workers() const;      // by id
    bool blocklisted(const Job& job, WorkerId worker) const;
    std::size_t claimable_jobs() const { return m_claimable.size(); }
    std::size_t active_leases() const { return m_leases.size(); }
    std::int64_t queued_tasks() const;

private:
    struct JobEntry {
        Job job;
        std::vector<Task> tasks;  // tasks[i].id == tasks[0].id + i
        TaskQueue queue;
    };
    // Claim order: higher priority first, then older (smaller id) first.
    using ClaimKey = std::pair<int, JobId>;

    std::int64_t now_ms() const;
    JobEntry* entry_of(JobId id);
    const JobEntry* entry_of(JobId id) const;
    std::pair<JobEntry*, Task*> locate(TaskId id);
    util::Result<Worker*> worker_or_error(WorkerId id);
    std::size_t index_of(const JobEntry& entry, const Task& task) const;

    // Primitive moves, each keeping counts, queues, leases and indexes in step. A move that its
    // state machine refuses changes nothing: callers check first, so that is never expected.
    void move_task(JobEntry& entry, Task& task, TaskTransition transition, Changes& changes);
    void move_job(JobEntry& entry, JobTransition transition, std::string message, Changes& changes);
    void start_lease(JobEntry& entry, Task& task, Worker& worker, Changes& changes);
    // Ends the current attempt and drops the lease; the task keeps its status.
    void end_lease(Task& task, AttemptEnd end, Changes& changes);
    void requeue_task(JobEntry& entry, Task& task, Changes& changes);
    void refresh_claimable(JobEntry& entry);
    void add_event(Changes& changes, std::string kind, JobId job, TaskId task, WorkerId worker,
                   std::string message);

    std::optional<std::size_t> first_task_for(const JobEntry& entry, WorkerId worker,
                                              ClaimLimits limits) const;
    // Releases every active task of the job (its job stopped); `to` is queued or canceled.
    void stop_active_tasks(JobEntry& entry, TaskStatus to, Changes& changes);
    // After a task finished or failed: fails or finishes the job when its rules say so.
    void settle_job(JobEntry& entry, Changes& changes);
    bool has_eligible_worker(const JobEntry& entry, const Task& task) const;
    void record_failure(JobEntry& entry, Task& task, WorkerId worker, Changes& changes);

    const util::Clock& m_clock;
    SchedulerPolicy m_policy;
    std::map<JobId, JobEntry> m_jobs;
    std::map<TaskId, JobId> m_task_ranges;  // first task id of each job -> job
    std::set<ClaimKey> m_claimable;         // runnable jobs with queued tasks
    std::set<std::pair<util::Clock::time_point, TaskId>> m_leases;
    std::map<WorkerId, Worker> m_workers;
    std::int64_t m_online_workers = 0;
    JobId m_last_job;
    TaskId m_last_task;
    WorkerId m_last_worker;
    AttemptId m_last_attempt;
    EventId m_last_event;
};

}  // namespace spotfarm::core
