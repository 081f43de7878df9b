// The scheduler's state and its primitive moves; claims, jobs and workers live in
// scheduler_claims.cpp, scheduler_jobs.cpp and scheduler_workers.cpp.
#include "core/scheduler.h"

#include <algorithm>

#include "core/enum_names.h"
#include "core/errors.h"

namespace spotfarm::core {
namespace {

constexpr detail::EnumNames<StopReason, 6> k_stop_reasons{
    {"none", "canceled", "paused", "reassigned", "job_failed", "gone"}};
constexpr detail::EnumNames<CompleteOutcome, 3> k_complete_outcomes{
    {"accepted", "already_accepted", "completed_by_other"}};
constexpr detail::EnumNames<FailOutcome, 3> k_fail_outcomes{{"retrying", "failed", "stale"}};

}  // namespace

std::string_view to_string(StopReason reason) {
    return k_stop_reasons.name(reason);
}
std::string_view to_string(CompleteOutcome outcome) {
    return k_complete_outcomes.name(outcome);
}
std::string_view to_string(FailOutcome outcome) {
    return k_fail_outcomes.name(outcome);
}

Scheduler::Scheduler(const util::Clock& clock, SchedulerPolicy policy)
    : m_clock(clock), m_policy(policy) {}

std::int64_t Scheduler::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               m_clock.wall_now().time_since_epoch())
        .count();
}

// --- lookups ------------------------------------------------------------------------------------

Scheduler::JobEntry* Scheduler::entry_of(JobId id) {
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? nullptr : &it->second;
}

const Scheduler::JobEntry* Scheduler::entry_of(JobId id) const {
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? nullptr : &it->second;
}

std::pair<Scheduler::JobEntry*, Task*> Scheduler::locate(TaskId id) {
    auto it = m_task_ranges.upper_bound(id);
    if (it == m_task_ranges.begin()) return {nullptr, nullptr};
    --it;
    JobEntry* entry = entry_of(it->second);
    if (entry == nullptr) return {nullptr, nullptr};
    auto offset = id.value - it->first.value;
    if (offset < 0 || offset >= static_cast<std::int64_t>(entry->tasks.size())) {
        return {nullptr, nullptr};
    }
    return {entry, &entry->tasks[static_cast<std::size_t>(offset)]};
}

util::Result<Worker*> Scheduler::worker_or_error(WorkerId id) {
    auto it = m_workers.find(id);
    if (it == m_workers.end()) {
        return not_found("no worker " + id.to_string() + ": register it first");
    }
    return &it->second;
}

std::size_t Scheduler::index_of(const JobEntry& entry, const Task& task) const {
    return static_cast<std::size_t>(task.id.value - entry.tasks.front().id.value);
}

const Job* Scheduler::find_job(JobId id) const {
    const JobEntry* entry = entry_of(id);
    return entry == nullptr ? nullptr : &entry->job;
}

const Task* Scheduler::find_task(TaskId id) const {
    return const_cast<Scheduler*>(this)->locate(id).second;
}

const Worker* Scheduler::find_worker(WorkerId id) const {
    auto it = m_workers.find(id);
    return it == m_workers.end() ? nullptr : &it->second;
}

std::span<const Task> Scheduler::tasks_of(JobId id) const {
    const JobEntry* entry = entry_of(id);
    if (entry == nullptr) return {};
    return entry->tasks;
}

std::vector<const Job*> Scheduler::jobs() const {
    std::vector<const Job*> out;
    out.reserve(m_jobs.size());
    for (const auto& [id, entry] : m_jobs) out.push_back(&entry.job);
    return out;
}

std::vector<const Worker*> Scheduler::workers() const {
    std::vector<const Worker*> out;
    out.reserve(m_workers.size());
    for (const auto& [id, worker] : m_workers) out.push_back(&worker);
    return out;
}

bool Scheduler::blocklisted(const Job& job, WorkerId worker) const {
    auto it = job.worker_failures.find(worker);
    return it != job.worker_failures.end() && it->second >= m_policy.blocklist_after;
}

std::int64_t Scheduler::queued_tasks() const {
    std::int64_t n = 0;
    for (const auto& [id, entry] : m_jobs) n += entry.job.count(TaskStatus::queued);
    return n;
}

// --- primitive moves ----------------------------------------------------------------------------

void Scheduler::move_task(JobEntry& entry, Task& task, TaskTransition transition,
                          Changes& changes) {
    auto to = apply(task.status, transition);
    if (!to) return;
    TaskStatus from = task.status;
    if (from == *to) return;
    --entry.job.counts[static_cast<std::size_t>(from)];
    ++entry.job.counts[static_cast<std::size_t>(*to)];
    task.status = *to;
    std::size_t index = index_of(entry, task);
    if (from == TaskStatus::queued) entry.queue.erase(index);
    if (*to == TaskStatus::queued) {
        entry.queue.push(index);
        if (is_runnable(entry.job.status)) changes.work_queued = true;
    }
    changes.task(task.id);
    changes.job(entry.job.id);
    refresh_claimable(entry);
}

void Scheduler::move_job(JobEntry& entry, JobTransition transition, std::string message,
                         Changes& changes) {
    auto to = apply(entry.job.status, transition);
    if (!to) return;
    const bool woke = !is_runnable(entry.job.status) && is_runnable(*to);
    entry.job.status = *to;
    entry.job.message = message;
    changes.job(entry.job.id);
    if (woke && !entry.queue.empty()) changes.work_queued = true;
    refresh_claimable(entry);
    add_event(changes, "job." + std::string(to_string(transition)), entry.job.id, {}, {},
              std::move(message));
}

void Scheduler::start_lease(JobEntry& entry, Task& task, Worker& worker, Changes& changes) {
    move_task(entry, task, TaskTransition::claim, changes);
    task.worker = worker.id;
    task.attempt = AttemptId(++m_last_attempt.value);
    ++task.attempts;
    task.lease_deadline = m_clock.now() + m_policy.lease;
    task.lease_deadline_ms = now_ms() + m_policy.lease.count();
    m_leases.emplace(task.lease_deadline, task.id);
    worker.tasks.push_back(task.id);
    worker.warm_job = entry.job.id;
    task.attempt_started_ms = now_ms();
    if (entry.job.status == JobStatus::queued) {
        move_job(entry, JobTransition::start, "", changes);
    }
}

void Scheduler::end_lease(Task& task, AttemptEnd end, Changes& changes) {
    m_leases.erase({task.lease_deadline, task.id});
    task.lease_deadline = {};
    task.lease_deadline_ms = 0;
    if (auto it = m_workers.find(task.worker); it != m_workers.end()) {
        std::erase(it->second.tasks, task.id);
    }
    end.id = task.attempt;
    end.task = task.id;
    end.job = task.job;
    end.worker = task.worker;
    end.started_ms = task.attempt_started_ms;
    end.time_ms = now_ms();
    changes.ended_attempts.push_back(std::move(end));
    changes.task(task.id);
}

void Scheduler::refresh_claimable(JobEntry& entry) {
    ClaimKey key{-entry.job.priority, entry.job.id};
    if (is_runnable(entry.job.status) && !entry.queue.empty()) {
        m_claimable.insert(key);
    } else {
        m_claimable.erase(key);
    }
}

void Scheduler::add_event(Changes& changes, std::string kind, JobId job, TaskId task,
                          WorkerId worker, std::string message) {
    changes.events.push_back({EventId(++m_last_event.value), now_ms(), std::move(kind), job, task,
                              worker, std::move(message)});
}

}  // namespace spotfarm::core
