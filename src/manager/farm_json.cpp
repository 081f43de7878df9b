// farm_json.h: answers. Request bodies are parsed in farm_json_parse.cpp.
#include "manager/farm_json.h"

namespace spotfarm::manager {
namespace {

using nlohmann::json;

// Settings were JSON when submitted; they go out as JSON again.
json settings_json(const std::string& text) {
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? json::object() : parsed;
}

json id_or_null(std::int64_t id) {
    return id > 0 ? json(id) : json(nullptr);
}

template <class Id>
json ids(const std::vector<Id>& list) {
    json out = json::array();
    for (Id id : list) out.push_back(id.value);
    return out;
}

template <class Map>
json by_status(const Map& map) {
    json out = json::object();
    for (const auto& [status, value] : map) out[std::string(core::to_string(status))] = value;
    return out;
}

}  // namespace

json to_json(const WorkerCredentials& c) {
    return {{"id", c.id.value}, {"secret", c.secret}};
}

json to_json(const Assignment& a) {
    return {{"task", a.task.value},
            {"job", a.job.value},
            {"attempt", a.attempt.value},
            {"frames", a.frames.to_string()},
            {"frame_list", a.frames.frames()},
            {"scene", a.scene},
            {"output", a.output},
            {"settings", settings_json(a.settings)},
            {"lease_seconds", a.lease_seconds}};
}

json to_json(const HeartbeatAnswer& a) {
    json out = {{"action", a.keep_going ? "keep_going" : "stop"}};
    if (a.keep_going) {
        out["lease_seconds"] = a.lease_seconds;
    } else {
        out["reason"] = core::to_string(a.reason);
    }
    return out;
}

json to_json(core::CompleteOutcome outcome) {
    return {{"outcome", core::to_string(outcome)}};
}

json to_json(core::FailOutcome outcome) {
    return {{"outcome", core::to_string(outcome)}};
}

json to_json(const ReapReport& r) {
    return {{"leases_expired", r.leases_expired}, {"workers_offline", r.workers_offline}};
}

json to_json(const JobSummary& j) {
    return {{"id", j.id.value},
            {"name", j.name},
            {"status", core::to_string(j.status)},
            {"priority", j.priority},
            {"created_ms", j.created_ms},
            {"frames", j.frames},
            {"frame_count", j.frame_count},
            {"chunk", j.chunk},
            {"scene", j.scene},
            {"output", j.output},
            {"message", j.message},
            {"tasks", by_status(j.tasks)}};
}

json to_json(const JobDetail& j) {
    json out = to_json(j.summary);
    out["settings"] = settings_json(j.settings);
    out["frames_by_status"] = by_status(j.frames_by_status);
    out["frames_done"] = j.frames_done;
    json failures = json::object();
    for (const auto& [worker, n] : j.worker_failures) failures[worker.to_string()] = n;
    out["worker_failures"] = failures;
    out["blocklisted"] = ids(j.blocklisted);
    return out;
}

json to_json(const Progress& p) {
    json out = {{"fraction", p.fraction}, {"message", p.message}};
    out["frame"] = p.frame ? json(*p.frame) : json(nullptr);
    return out;
}

json to_json(const TaskSummary& t) {
    json out = {{"id", t.id.value},
                {"job", t.job.value},
                {"frames", t.frames},
                {"status", core::to_string(t.status)},
                {"worker", id_or_null(t.worker.value)},
                {"attempts", t.attempts},
                {"failed_on", ids(t.failed_on)}};
    if (t.lease_seconds) out["lease_seconds"] = *t.lease_seconds;
    if (t.progress) out["progress"] = to_json(*t.progress);
    return out;
}

json to_json(const TaskDetail& t) {
    json out = to_json(t.summary);
    out["attempt_list"] = to_json_array(t.attempts);
    return out;
}

json to_json(const WorkerSummary& w) {
    return {{"id", w.id.value},
            {"name", w.info.name},
            {"host", w.info.host},
            {"cores", w.info.cores},
            {"memory_bytes", w.info.memory_bytes},
            {"gpus", w.info.gpus},
            {"blender_version", w.info.blender_version},
            {"tags", w.info.tags},
            {"status", core::to_string(w.status)},
            {"registered_ms", w.registered_ms},
            {"last_seen_ms", w.last_seen_ms},
            {"warm_job", w.warm_job ? json(w.warm_job->value) : json(nullptr)},
            {"tasks", ids(w.tasks)}};
}

json to_json(const core::FrameResult& r) {
    return {{"frame", r.frame},
            {"output", r.output},
            {"render_seconds", r.render_seconds},
            {"peak_memory_bytes", r.peak_memory_bytes}};
}

json to_json(const core::Attempt& a) {
    return {{"id", a.id.value},
            {"task", a.task.value},
            {"job", a.job.value},
            {"worker", a.worker.value},
            {"started_ms", a.started_ms},
            {"ended_ms", a.ended_ms > 0 ? json(a.ended_ms) : json(nullptr)},
            {"outcome", core::to_string(a.outcome)},
            {"error", a.error},
            {"log_tail", a.log_tail},
            {"results", to_json_array(a.results)}};
}

json to_json(const core::Event& e) {
    return {{"id", e.id.value},
            {"time_ms", e.time_ms},
            {"kind", e.kind},
            {"job", id_or_null(e.job.value)},
            {"task", id_or_null(e.task.value)},
            {"worker", id_or_null(e.worker.value)},
            {"message", e.message}};
}

}  // namespace spotfarm::manager
