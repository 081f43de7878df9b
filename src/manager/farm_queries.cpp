// Farm: what people and the dashboard read. Everything but attempts and events comes from memory.
#include <algorithm>

#include "core/errors.h"
#include "manager/farm.h"
#include "manager/job_warnings.h"

namespace spotfarm::manager {
namespace {

JobSummary summarize_job(const core::Job& job) {
    JobSummary s;
    s.id = job.id;
    s.name = job.name;
    s.status = job.status;
    s.priority = job.priority;
    s.created_ms = job.created_ms;
    s.frames = job.frames.to_string();
    s.frame_count = static_cast<std::int64_t>(job.frames.size());
    s.chunk = job.chunk;
    s.scene = job.scene;
    s.output = job.output;
    s.message = job.message;
    for (int i = 0; i < core::k_task_status_count; ++i) {
        auto status = static_cast<core::TaskStatus>(i);
        s.tasks[status] = job.count(status);
    }
    return s;
}

WorkerSummary summarize_worker(const core::Worker& w) {
    return {w.id, w.info, w.status, w.registered_ms, w.last_seen_ms, w.warm_job, w.tasks};
}

}  // namespace

TaskSummary Farm::summarize(const core::Task& task) const {
    TaskSummary s;
    s.id = task.id;
    s.job = task.job;
    s.frames = task.frames.to_string();
    s.status = task.status;
    s.worker = task.worker;
    s.attempts = task.attempts;
    s.failed_on = task.failed_on;
    if (task.status == core::TaskStatus::active) {
        s.lease_seconds = seconds_left(task.lease_deadline);
        if (auto it = m_progress.find(task.id); it != m_progress.end()) s.progress = it->second;
    }
    return s;
}

std::vector<JobSummary> Farm::list_jobs() const {
    std::vector<JobSummary> out;
    for (const core::Job* job : m_scheduler->jobs()) out.push_back(summarize_job(*job));
    return out;
}

util::Result<JobDetail> Farm::show_job(core::JobId id) const {
    const core::Job* job = m_scheduler->find_job(id);
    if (job == nullptr) return core::not_found("no job " + id.to_string());
    JobDetail d;
    d.summary = summarize_job(*job);
    d.settings = job->settings;
    std::map<core::TaskStatus, std::vector<int>> frames;
    for (const core::Task& task : m_scheduler->tasks_of(id)) {
        auto& list = frames[task.status];
        list.insert(list.end(), task.frames.frames().begin(), task.frames.frames().end());
    }
    for (auto& [status, list] : frames) {
        if (status == core::TaskStatus::completed) d.frames_done = std::ssize(list);
        d.frames_by_status[status] = core::FrameSet::from_frames(std::move(list)).to_string();
    }
    d.worker_failures = job->worker_failures;
    for (const auto& [worker, failures] : job->worker_failures) {
        if (m_scheduler->blocklisted(*job, worker)) d.blocklisted.push_back(worker);
    }
    d.warnings = m_warnings->list(id);
    return d;
}

util::Result<std::vector<TaskSummary>> Farm::list_tasks(core::JobId job,
                                                        const TaskFilter& filter) const {
    if (m_scheduler->find_job(job) == nullptr) return core::not_found("no job " + job.to_string());
    std::vector<TaskSummary> out;
    std::size_t skipped = 0;
    for (const core::Task& task : m_scheduler->tasks_of(job)) {
        if (out.size() >= filter.limit) break;
        if (filter.status && task.status != *filter.status) continue;
        if (skipped++ < filter.offset) continue;
        out.push_back(summarize(task));
    }
    return out;
}

util::Result<TaskDetail> Farm::show_task(core::TaskId id) {
    const core::Task* task = m_scheduler->find_task(id);
    if (task == nullptr) return core::not_found("no task " + id.to_string());
    auto attempts = m_store->attempts_of(id);
    if (!attempts) return util::make_error(attempts.error().message, util::ErrorKind::storage);
    if (task->status == core::TaskStatus::active) {
        attempts->push_back({.id = task->attempt,
                             .task = task->id,
                             .job = task->job,
                             .worker = task->worker,
                             .started_ms = task->attempt_started_ms});
    }
    return TaskDetail{summarize(*task), std::move(attempts).value()};
}

std::vector<WorkerSummary> Farm::list_workers() const {
    std::vector<WorkerSummary> out;
    for (const core::Worker* w : m_scheduler->workers()) out.push_back(summarize_worker(*w));
    return out;
}

util::Result<WorkerSummary> Farm::show_worker(core::WorkerId id) const {
    const core::Worker* w = m_scheduler->find_worker(id);
    if (w == nullptr) return core::not_found("no worker " + id.to_string());
    return summarize_worker(*w);
}

util::Result<std::vector<core::Event>> Farm::events_since(core::EventId after, std::size_t limit) {
    auto events = m_store->events_since(after, limit);
    if (!events) return util::make_error(events.error().message, util::ErrorKind::storage);
    return events;
}

util::Result<std::optional<std::int64_t>> Farm::job_finished_ms(core::JobId job) {
    auto finished = m_store->job_finished_ms(job);
    if (!finished) return util::make_error(finished.error().message, util::ErrorKind::storage);
    return finished;
}

}  // namespace spotfarm::manager
