// What people do to jobs (submit, pause, resume, cancel, requeue, delete) and the rules that
// finish or fail a job.
#include "core/scheduler.h"

#include <algorithm>

#include "core/errors.h"

namespace spotfarm::core {
namespace {

util::Error no_job(JobId id) {
    return not_found("no job " + id.to_string() + ": list jobs to see their ids");
}

std::string workers_list(const std::vector<WorkerId>& workers) {
    std::string out;
    for (WorkerId w : workers) out += (out.empty() ? "" : ", ") + w.to_string();
    return out;
}

}  // namespace

util::Result<JobId> Scheduler::submit(JobSpec spec, Changes& changes) {
    auto valid = validate(std::move(spec));
    if (!valid) return valid.error();
    JobId id(++m_last_job.value);
    JobEntry entry;
    Job& job = entry.job;
    job.id = id;
    job.name = std::move(valid->spec.name);
    job.scene = std::move(valid->spec.scene);
    job.output = std::move(valid->spec.output);
    job.chunk = valid->spec.chunk;
    job.priority = valid->spec.priority;
    job.settings = std::move(valid->spec.settings);
    job.allow_scripts = valid->spec.allow_scripts;
    job.created_ms = now_ms();

    std::vector<FrameSet> chunks = valid->frames.chunks(static_cast<std::size_t>(job.chunk));
    job.frames = std::move(valid->frames);
    entry.tasks.resize(chunks.size());
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        Task& task = entry.tasks[i];
        task.id = TaskId(++m_last_task.value);
        task.job = id;
        task.frames = std::move(chunks[i]);
    }
    job.counts[static_cast<std::size_t>(TaskStatus::queued)] =
        static_cast<std::int64_t>(entry.tasks.size());
    entry.queue = TaskQueue(entry.tasks.size());
    m_task_ranges.emplace(entry.tasks.front().id, id);
    JobEntry& stored = m_jobs.emplace(id, std::move(entry)).first->second;
    refresh_claimable(stored);

    changes.inserted_jobs.push_back(id);
    changes.work_queued = true;
    add_event(changes, "job.submit", id, {}, {},
              std::to_string(stored.job.frames.size()) + " frames in " +
                  std::to_string(stored.tasks.size()) + " tasks");
    return id;
}

void Scheduler::stop_active_tasks(JobEntry& entry, TaskStatus to, Changes& changes) {
    if (entry.job.count(TaskStatus::active) == 0) return;
    const TaskTransition transition =
        to == TaskStatus::canceled ? TaskTransition::cancel : TaskTransition::release;
    for (Task& task : entry.tasks) {
        if (task.status != TaskStatus::active) continue;
        end_lease(task, {.outcome = AttemptOutcome::stopped}, changes);
        move_task(entry, task, transition, changes);
    }
}

util::Status Scheduler::pause(JobId id, Changes& changes) {
    JobEntry* entry = entry_of(id);
    if (entry == nullptr) return no_job(id);
    if (auto ok = apply(entry->job.status, JobTransition::pause); !ok) return ok.error();
    move_job(*entry, JobTransition::pause, "paused", changes);
    stop_active_tasks(*entry, TaskStatus::queued, changes);
    return {};
}

util::Status Scheduler::resume(JobId id, Changes& changes) {
    JobEntry* entry = entry_of(id);
    if (entry == nullptr) return no_job(id);
    if (auto ok = apply(entry->job.status, JobTransition::resume); !ok) return ok.error();
    move_job(*entry, JobTransition::resume, "", changes);
    return {};
}

util::Status Scheduler::cancel(JobId id, Changes& changes) {
    JobEntry* entry = entry_of(id);
    if (entry == nullptr) return no_job(id);
    if (auto ok = apply(entry->job.status, JobTransition::cancel); !ok) return ok.error();
    move_job(*entry, JobTransition::cancel, "canceled", changes);
    stop_active_tasks(*entry, TaskStatus::canceled, changes);
    entry->queue.clear();
    for (Task& task : entry->tasks) {
        if (task.status == TaskStatus::queued) {
            move_task(*entry, task, TaskTransition::cancel, changes);
        }
    }
    return {};
}

util::Status Scheduler::requeue_failed(JobId id, Changes& changes) {
    JobEntry* entry = entry_of(id);
    if (entry == nullptr) return no_job(id);
    Job& job = entry->job;
    const bool job_stopped = job.status == JobStatus::failed || job.status == JobStatus::canceled;
    const auto again = job.count(TaskStatus::failed) + job.count(TaskStatus::canceled);
    if (!job_stopped && again == 0) {
        return conflict("job " + id.to_string() + " is " + std::string(to_string(job.status)) +
                        " and has no failed tasks to requeue");
    }
    for (Task& task : entry->tasks) {
        if (task.status == TaskStatus::failed || task.status == TaskStatus::canceled) {
            task.failed_on.clear();
            move_task(*entry, task, TaskTransition::requeue, changes);
        }
    }
    job.worker_failures.clear();
    changes.job(id);
    if (job_stopped) {
        move_job(*entry, JobTransition::requeue, std::to_string(again) + " tasks queued again",
                 changes);
    }
    refresh_claimable(*entry);
    settle_job(*entry, changes);
    return {};
}

util::Status Scheduler::set_priority(JobId id, int priority, Changes& changes) {
    JobEntry* entry = entry_of(id);
    if (entry == nullptr) return no_job(id);
    if (priority < k_min_priority || priority > k_max_priority) {
        return util::make_error("priority " + std::to_string(priority) + " is out of range: use " +
                                    std::to_string(k_min_priority) + " to " +
                                    std::to_string(k_max_priority) + " (higher goes first)",
                                util::ErrorKind::invalid);
    }
    // The claim order is keyed by priority: take the job out under its old key.
    m_claimable.erase({-entry->job.priority, id});
    entry->job.priority = priority;
    refresh_claimable(*entry);
    changes.job(id);
    return {};
}

util::Status Scheduler::remove(JobId id, Changes& changes) {
    JobEntry* entry = entry_of(id);
    if (entry == nullptr) return no_job(id);
    for (Task& task : entry->tasks) {
        if (task.status == TaskStatus::active) {
            end_lease(task, {.outcome = AttemptOutcome::stopped}, changes);
        }
    }
    const DeletedJob deleted{id, entry->tasks.front().id, entry->tasks.back().id};
    m_claimable.erase({-entry->job.priority, id});
    m_task_ranges.erase(deleted.first_task);
    add_event(changes, "job.delete", id, {}, {}, "deleted job '" + entry->job.name + "'");
    m_jobs.erase(id);
    changes.deleted_jobs.push_back(deleted);
    return {};
}

bool Scheduler::has_eligible_worker(const JobEntry& entry, const Task& task) const {
    std::vector<WorkerId> excluded = task.failed_on;
    for (const auto& [worker, failures] : entry.job.worker_failures) {
        if (failures >= m_policy.blocklist_after) excluded.push_back(worker);
    }
    std::sort(excluded.begin(), excluded.end());
    excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
    std::int64_t excluded_online = 0;
    for (WorkerId w : excluded) {
        const Worker* worker = find_worker(w);
        if (worker != nullptr && worker->status == WorkerStatus::online) ++excluded_online;
    }
    return m_online_workers > excluded_online;
}

void Scheduler::settle_job(JobEntry& entry, Changes& changes) {
    Job& job = entry.job;
    if (is_finished(job.status)) return;
    auto fail_job = [&](std::string why) {
        move_job(entry, JobTransition::fail, std::move(why), changes);
        stop_active_tasks(entry, TaskStatus::queued, changes);
    };

    if (m_policy.fail_when_no_worker_left) {
        // Only tasks that failed before can run out of workers, and they are the returned ones.
        std::vector<std::size_t> stranded;
        for (std::size_t index : entry.queue.returned()) {
            const Task& task = entry.tasks[index];
            if (!task.failed_on.empty() && !has_eligible_worker(entry, task)) {
                stranded.push_back(index);
            }
        }
        for (std::size_t index : stranded) {
            Task& task = entry.tasks[index];
            move_task(entry, task, TaskTransition::fail, changes);
            add_event(changes, "task.fail", job.id, task.id, {},
                      "frames " + task.frames.to_string() + " have no eligible worker left");
        }
        if (!stranded.empty()) {
            const Task& task = entry.tasks[stranded.front()];
            return fail_job("frames " + task.frames.to_string() +
                            " have no eligible worker left: they failed on workers " +
                            workers_list(task.failed_on) +
                            " and no other online worker may take them");
        }
    }

    const auto total = job.task_count();
    const auto failed = job.count(TaskStatus::failed);
    if (failed > 0 && static_cast<double>(failed) > m_policy.max_failed_share * total &&
        job.count(TaskStatus::queued) + job.count(TaskStatus::active) > 0) {
        return fail_job(std::to_string(failed) + " of " + std::to_string(total) +
                        " tasks failed, more than the allowed share");
    }
    if (job.count(TaskStatus::queued) + job.count(TaskStatus::active) > 0) return;
    if (failed == 0 && job.count(TaskStatus::canceled) == 0) {
        move_job(entry, JobTransition::complete, "", changes);
    } else {
        fail_job(std::to_string(failed) + " of " + std::to_string(total) + " tasks failed");
    }
}

}  // namespace spotfarm::core
