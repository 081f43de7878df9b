// farm_json.h: the Farm's records as the protocol's wire structs, for the routes to write.
#include <nlohmann/json.hpp>

#include "manager/farm_json.h"

namespace spotfarm::manager {
namespace {

// Settings were JSON when submitted; they go out as JSON again (an object, whatever is stored).
nlohmann::json settings_object(const std::string& text) {
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    return parsed.is_object() ? parsed : nlohmann::json::object();
}

// The Farm writes its frame sets with FrameSet::to_string, so they read back unchanged.
core::FrameSet frame_set(const std::string& text) {
    if (text.empty()) return {};
    return core::FrameSet::parse(text).value_or(core::FrameSet{});
}

template <class Id>
std::vector<std::int64_t> id_values(const std::vector<Id>& ids) {
    std::vector<std::int64_t> out;
    out.reserve(ids.size());
    for (Id id : ids) out.push_back(id.value);
    return out;
}

template <class Id>
std::optional<std::int64_t> valid_id(Id id) {
    return id.valid() ? std::optional(id.value) : std::nullopt;
}

protocol::AttemptRecord attempt_record(const core::Attempt& a) {
    protocol::AttemptRecord out{.id = a.id.value,
                                .task = a.task.value,
                                .job = a.job.value,
                                .worker = a.worker.value,
                                .started_ms = a.started_ms,
                                .ended_ms = std::nullopt,
                                .outcome = a.outcome,
                                .error = a.error,
                                .log_tail = a.log_tail,
                                .results = {}};
    if (a.ended_ms > 0) out.ended_ms = a.ended_ms;
    out.results.reserve(a.results.size());
    for (const core::FrameResult& r : a.results) {
        out.results.push_back(
            {r.frame, r.output, r.render_seconds, r.peak_memory_bytes, r.warnings});
    }
    return out;
}

}  // namespace

protocol::JobSummary to_wire(const JobSummary& j) {
    return {.id = j.id.value,
            .name = j.name,
            .status = j.status,
            .priority = j.priority,
            .created_ms = j.created_ms,
            .frames = j.frames,
            .frame_count = j.frame_count,
            .chunk = j.chunk,
            .scene = j.scene,
            .output = j.output,
            .message = j.message,
            .tasks = j.tasks};
}

protocol::JobDetail to_wire(const JobDetail& j) {
    protocol::JobDetail out{.summary = to_wire(j.summary),
                            .settings = settings_object(j.settings),
                            .frames_by_status = {},
                            .frames_done = j.frames_done,
                            .worker_failures = {},
                            .blocklisted = id_values(j.blocklisted)};
    for (const auto& [status, frames] : j.frames_by_status) {
        out.frames_by_status[status] = frame_set(frames);
    }
    for (const auto& [worker, count] : j.worker_failures) out.worker_failures[worker.value] = count;
    for (const JobWarning& w : j.warnings) out.warnings.push_back({w.message, w.frames});
    return out;
}

protocol::TaskSummary to_wire(const TaskSummary& t) {
    protocol::TaskSummary out{.id = t.id.value,
                              .job = t.job.value,
                              .frames = frame_set(t.frames),
                              .status = t.status,
                              .worker = valid_id(t.worker),
                              .attempts = t.attempts,
                              .failed_on = id_values(t.failed_on),
                              .lease_seconds = t.lease_seconds,
                              .progress = std::nullopt};
    if (t.progress) {
        out.progress = protocol::TaskProgress{.fraction = t.progress->fraction,
                                              .frame = t.progress->frame,
                                              .message = t.progress->message};
    }
    return out;
}

protocol::TaskDetail to_wire(const TaskDetail& t) {
    protocol::TaskDetail out{.summary = to_wire(t.summary), .attempt_list = {}, .log_tail = {}};
    out.attempt_list.reserve(t.attempts.size());
    for (const core::Attempt& a : t.attempts) out.attempt_list.push_back(attempt_record(a));
    return out;
}

protocol::WorkerSummary to_wire(const WorkerSummary& w) {
    return {.id = w.id.value,
            .name = w.info.name,
            .host = w.info.host,
            .cores = w.info.cores,
            .memory_bytes = w.info.memory_bytes,
            .gpus = w.info.gpus,
            .blender_version = w.info.blender_version,
            .tags = w.info.tags,
            .status = w.status,
            .registered_ms = w.registered_ms,
            .last_seen_ms = w.last_seen_ms,
            .warm_job = w.warm_job ? std::optional(w.warm_job->value) : std::nullopt,
            .tasks = id_values(w.tasks)};
}

protocol::JobList to_wire(const std::vector<JobSummary>& jobs) {
    protocol::JobList list;
    list.jobs.reserve(jobs.size());
    for (const JobSummary& job : jobs) list.jobs.push_back(to_wire(job));
    return list;
}

protocol::TaskList to_wire(const std::vector<TaskSummary>& tasks) {
    protocol::TaskList list;
    list.tasks.reserve(tasks.size());
    for (const TaskSummary& task : tasks) list.tasks.push_back(to_wire(task));
    return list;
}

protocol::WorkerList to_wire(const std::vector<WorkerSummary>& workers) {
    protocol::WorkerList list;
    list.workers.reserve(workers.size());
    for (const WorkerSummary& worker : workers) list.workers.push_back(to_wire(worker));
    return list;
}

}  // namespace spotfarm::manager
