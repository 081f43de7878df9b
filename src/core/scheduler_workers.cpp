// Workers coming and going, leases running out, and the rebuild after a restart.
#include "core/scheduler.h"

namespace spotfarm::core {

WorkerId Scheduler::register_worker(WorkerInfo info, std::string secret_hash, Changes& changes) {
    WorkerId id(++m_last_worker.value);
    Worker& worker = m_workers[id];
    worker.id = id;
    worker.info = std::move(info);
    worker.secret_hash = std::move(secret_hash);
    worker.registered_ms = worker.last_seen_ms = now_ms();
    worker.last_seen = m_clock.now();
    ++m_online_workers;
    changes.inserted_workers.push_back(id);
    add_event(changes, "worker.register", {}, {}, id,
              "worker '" + worker.info.name + "' on " + worker.info.host + " registered");
    return id;
}

util::Status Scheduler::touch_worker(WorkerId id, Changes& changes) {
    auto worker = worker_or_error(id);
    if (!worker) return worker.error();
    Worker& w = **worker;
    w.last_seen = m_clock.now();
    w.last_seen_ms = now_ms();
    if (w.status == WorkerStatus::offline) {
        w.status = WorkerStatus::online;
        ++m_online_workers;
        changes.worker(id);
        add_event(changes, "worker.online", {}, {}, id, "worker is back");
    }
    return {};
}

util::Result<std::vector<TaskId>> Scheduler::drain(WorkerId id, Changes& changes) {
    if (auto touched = touch_worker(id, changes); !touched) return touched.error();
    Worker& worker = m_workers.at(id);
    std::vector<TaskId> returned = worker.tasks;
    for (TaskId task_id : returned) {
        auto [entry, task] = locate(task_id);
        end_lease(*task, {.outcome = AttemptOutcome::released}, changes);
        move_task(*entry, *task, TaskTransition::release, changes);
    }
    if (worker.status == WorkerStatus::online) --m_online_workers;
    worker.status = WorkerStatus::draining;
    changes.worker(id);
    add_event(changes, "worker.drain", {}, {}, id,
              "worker is leaving; " + std::to_string(returned.size()) + " tasks returned");
    return returned;
}

void Scheduler::reap(util::Clock::time_point now, Changes& changes) {
    while (!m_leases.empty() && m_leases.begin()->first <= now) {
        auto [entry, task] = locate(m_leases.begin()->second);
        WorkerId holder = task->worker;
        end_lease(*task, {.outcome = AttemptOutcome::lease_expired}, changes);
        move_task(*entry, *task, TaskTransition::release, changes);
        add_event(changes, "task.lease_expired", entry->job.id, task->id, holder,
                  "no word from worker " + holder.to_string() + " in time; frames " +
                      task->frames.to_string() + " are queued again");
    }
    for (auto& [id, worker] : m_workers) {
        if (worker.status == WorkerStatus::online &&
            worker.last_seen + m_policy.worker_timeout <= now) {
            worker.status = WorkerStatus::offline;
            --m_online_workers;
            changes.worker(id);
            add_event(changes, "worker.offline", {}, {}, id, "no word from the worker in time");
        }
    }
}

util::Status Scheduler::restore(SchedulerRecords records) {
    if (!m_jobs.empty() || !m_workers.empty()) {
        return util::make_error("restore needs an empty scheduler");
    }
    const auto now = m_clock.now();
    for (Worker& worker : records.workers) {
        worker.last_seen = now;
        worker.tasks.clear();
        if (worker.status == WorkerStatus::online) ++m_online_workers;
        m_last_worker = std::max(m_last_worker, worker.id);
        m_workers.emplace(worker.id, std::move(worker));
    }
    Changes ignored;
    for (auto& record : records.jobs) {
        JobEntry entry;
        entry.job = std::move(record.job);
        entry.tasks = std::move(record.tasks);
        const JobId id = entry.job.id;
        if (entry.tasks.empty()) {
            return util::make_error("job " + id.to_string() + " has no tasks in the store");
        }
        entry.job.counts = {};
        // Tasks never handed out form the fresh tail of the queue; the others are pushed.
        std::size_t fresh = entry.tasks.size();
        while (fresh > 0 && entry.tasks[fresh - 1].status == TaskStatus::queued &&
               entry.tasks[fresh - 1].attempts == 0) {
            --fresh;
        }
        entry.queue = TaskQueue(fresh, entry.tasks.size());
        for (std::size_t i = 0; i < entry.tasks.size(); ++i) {
            Task& task = entry.tasks[i];
            if (task.id.value != entry.tasks.front().id.value + static_cast<std::int64_t>(i) ||
                task.job != id) {
                return util::make_error("the tasks of job " + id.to_string() +
                                        " in the store are not consecutive");
            }
            ++entry.job.counts[static_cast<std::size_t>(task.status)];
            if (task.status == TaskStatus::queued && i < fresh) entry.queue.push(i);
        }
        m_last_job = std::max(m_last_job, id);
        m_last_task = std::max(m_last_task, entry.tasks.back().id);
        m_task_ranges.emplace(entry.tasks.front().id, id);
        JobEntry& stored = m_jobs.emplace(id, std::move(entry)).first->second;
        for (Task& task : stored.tasks) {
            if (task.status != TaskStatus::active) continue;
            auto worker = m_workers.find(task.worker);
            if (worker == m_workers.end()) {
                move_task(stored, task, TaskTransition::release, ignored);
                continue;
            }
            task.lease_deadline = now + m_policy.lease;
            task.lease_deadline_ms = now_ms() + m_policy.lease.count();
            m_leases.emplace(task.lease_deadline, task.id);
            worker->second.tasks.push_back(task.id);
        }
        refresh_claimable(stored);
    }
    m_last_attempt = records.last_attempt;
    m_last_event = records.last_event;
    return {};
}

}  // namespace spotfarm::core
