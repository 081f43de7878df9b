// What workers do to tasks: claim, heartbeat, complete, fail.
#include "core/scheduler.h"

#include "core/errors.h"

namespace spotfarm::core {

std::optional<std::size_t> Scheduler::first_task_for(const JobEntry& entry, WorkerId worker,
                                                     ClaimLimits limits) const {
    if (blocklisted(entry.job, worker)) return std::nullopt;
    if (limits.refuse_scripts && entry.job.allow_scripts) return std::nullopt;
    // Tasks this worker failed are skipped; it is blocklisted after a few, so few are skipped.
    return entry.queue.first(
        [&](std::size_t index) { return !entry.tasks[index].failed_on_worker(worker); });
}

util::Result<std::optional<TaskId>> Scheduler::claim(WorkerId worker_id, std::optional<JobId> warm,
                                                     Changes& changes, ClaimLimits limits) {
    if (auto touched = touch_worker(worker_id, changes); !touched) return touched.error();
    Worker& worker = m_workers.at(worker_id);
    if (worker.status == WorkerStatus::draining) return std::optional<TaskId>{};

    JobEntry* best = nullptr;
    std::size_t best_index = 0;
    for (const ClaimKey& key : m_claimable) {
        JobEntry& entry = m_jobs.at(key.second);
        if (auto index = first_task_for(entry, worker_id, limits)) {
            best = &entry;
            best_index = *index;
            break;
        }
    }
    if (best == nullptr) return std::optional<TaskId>{};

    // The warm job saves a scene load, unless a job of higher priority waits.
    if (!warm) warm = worker.warm_job;
    if (warm && *warm != best->job.id) {
        JobEntry* entry = entry_of(*warm);
        if (entry != nullptr && is_runnable(entry->job.status) &&
            entry->job.priority >= best->job.priority) {
            if (auto index = first_task_for(*entry, worker_id, limits)) {
                best = entry;
                best_index = *index;
            }
        }
    }
    Task& task = best->tasks[best_index];
    start_lease(*best, task, worker, changes);
    return std::optional<TaskId>{task.id};
}

util::Result<HeartbeatResult> Scheduler::heartbeat(TaskId task_id, WorkerId worker_id,
                                                   Changes& changes) {
    if (auto touched = touch_worker(worker_id, changes); !touched) return touched.error();
    auto [entry, task] = locate(task_id);
    if (task == nullptr) return HeartbeatResult{HeartbeatReply::stop, StopReason::gone};
    if (task->status == TaskStatus::active && task->worker == worker_id) {
        m_leases.erase({task->lease_deadline, task->id});
        task->lease_deadline = m_clock.now() + m_policy.lease;
        task->lease_deadline_ms = now_ms() + m_policy.lease.count();
        m_leases.emplace(task->lease_deadline, task->id);
        return HeartbeatResult{};
    }
    StopReason reason = StopReason::reassigned;
    switch (entry->job.status) {
        case JobStatus::paused:
            reason = StopReason::paused;
            break;
        case JobStatus::canceled:
            reason = StopReason::canceled;
            break;
        case JobStatus::failed:
            reason = StopReason::job_failed;
            break;
        default:
            if (task->status == TaskStatus::canceled) reason = StopReason::canceled;
            break;
    }
    return HeartbeatResult{HeartbeatReply::stop, reason};
}

util::Result<CompleteOutcome> Scheduler::complete(TaskId task_id, WorkerId worker_id,
                                                  std::vector<FrameResult> results,
                                                  std::optional<AttemptId> late_attempt,
                                                  Changes& changes) {
    if (auto touched = touch_worker(worker_id, changes); !touched) return touched.error();
    auto [entry, task] = locate(task_id);
    if (task == nullptr) return not_found("no task " + task_id.to_string());
    if (task->status == TaskStatus::completed) {
        return task->worker == worker_id ? CompleteOutcome::already_accepted
                                         : CompleteOutcome::completed_by_other;
    }
    if (auto valid = validate_results(*task, results); !valid) return valid.error();

    const bool holds_lease = task->status == TaskStatus::active && task->worker == worker_id;
    if (holds_lease) {
        end_lease(*task, {.outcome = AttemptOutcome::completed, .results = std::move(results)},
                  changes);
    } else {
        if (task->status != TaskStatus::queued && task->status != TaskStatus::active) {
            return conflict("task " + task_id.to_string() + " is " +
                            std::string(to_string(task->status)) +
                            ": its results are no longer wanted");
        }
        if (!late_attempt) {
            return conflict("worker " + worker_id.to_string() + " never held task " +
                            task_id.to_string() + ": its results are refused");
        }
        // Late results of a lost lease: the frames are on disk, so they count, and whoever
        // renders the task now can stop.
        if (task->status == TaskStatus::active) {
            end_lease(*task, {.outcome = AttemptOutcome::superseded}, changes);
        }
        task->worker = worker_id;
        task->attempt = *late_attempt;
        changes.ended_attempts.push_back({.id = *late_attempt,
                                          .task = task->id,
                                          .job = task->job,
                                          .worker = worker_id,
                                          .outcome = AttemptOutcome::completed,
                                          .time_ms = now_ms(),
                                          .results = std::move(results),
                                          .recorded = true});
    }
    move_task(*entry, *task, TaskTransition::complete, changes);
    settle_job(*entry, changes);
    return CompleteOutcome::accepted;
}

util::Result<FailOutcome> Scheduler::fail(TaskId task_id, WorkerId worker_id, std::string error,
                                          std::string log_tail, Changes& changes) {
    if (auto touched = touch_worker(worker_id, changes); !touched) return touched.error();
    auto [entry, task] = locate(task_id);
    if (task == nullptr) return not_found("no task " + task_id.to_string());
    if (task->status != TaskStatus::active || task->worker != worker_id) return FailOutcome::stale;

    std::string summary = error;
    end_lease(*task,
              {.outcome = AttemptOutcome::failed,
               .error = std::move(error),
               .log_tail = std::move(log_tail)},
              changes);
    record_failure(*entry, *task, worker_id, changes);
    const int failures = static_cast<int>(task->failed_on.size());
    if (failures >= m_policy.max_task_failures) {
        move_task(*entry, *task, TaskTransition::fail, changes);
        add_event(changes, "task.fail", entry->job.id, task->id, worker_id,
                  "frames " + task->frames.to_string() + " failed on " + std::to_string(failures) +
                      " workers; last error: " + summary);
    } else {
        move_task(*entry, *task, TaskTransition::retry, changes);
        add_event(changes, "task.retry", entry->job.id, task->id, worker_id,
                  "frames " + task->frames.to_string() + " failed (" + summary +
                      "); another worker will try");
    }
    settle_job(*entry, changes);
    return task->status == TaskStatus::failed ? FailOutcome::failed : FailOutcome::retrying;
}

void Scheduler::record_failure(JobEntry& entry, Task& task, WorkerId worker, Changes& changes) {
    if (!task.failed_on_worker(worker)) task.failed_on.push_back(worker);
    int& count = entry.job.worker_failures[worker];
    ++count;
    changes.job(entry.job.id);
    if (count == m_policy.blocklist_after) {
        refresh_claimable(entry);
        add_event(changes, "worker.blocklist", entry.job.id, {}, worker,
                  "worker " + worker.to_string() + " failed " + std::to_string(count) +
                      " tasks of this job and gets no more of them");
    }
}

}  // namespace spotfarm::core
