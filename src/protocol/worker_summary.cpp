#include "protocol/worker_summary.h"

#include <nlohmann/json.hpp>

#include "protocol/summary_fields.h"
#include "util/json_fields.h"

namespace spotfarm::protocol {

using nlohmann::json;
using util::JsonFields;
using util::Result;

namespace {

Result<core::WorkerStatus> read_worker_status(const json& j, const std::string& where) {
    return detail::read_name(j, where, core::parse_worker_status, "a worker status");
}

Result<WorkerSummary> read_worker(const json& j, const std::string& where) {
    WorkerSummary v;
    JsonFields f(j, where);
    f.required("id", v.id)
        .required("name", v.name)
        .required("host", v.host)
        .required("cores", v.cores)
        .required("memory_bytes", v.memory_bytes)
        .required("gpus", v.gpus)
        .required("blender_version", v.blender_version)
        .required("tags", v.tags)
        .required_with("status", v.status, read_worker_status)
        .required("registered_ms", v.registered_ms)
        .required("last_seen_ms", v.last_seen_ms)
        .optional("warm_job", v.warm_job)
        .required_with("tasks", v.tasks, detail::read_ids);
    f.check(v.id >= 1, "id", "must be at least 1")
        .check(v.cores >= 0, "cores", "must not be negative")
        .check(v.memory_bytes >= 0, "memory_bytes", "must not be negative")
        .check(v.warm_job.value_or(1) >= 1, "warm_job", "must be a job id or null");
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace

json to_json(const WorkerSummary& v) {
    return {{"id", v.id},
            {"name", v.name},
            {"host", v.host},
            {"cores", v.cores},
            {"memory_bytes", v.memory_bytes},
            {"gpus", v.gpus},
            {"blender_version", v.blender_version},
            {"tags", v.tags},
            {"status", core::to_string(v.status)},
            {"registered_ms", v.registered_ms},
            {"last_seen_ms", v.last_seen_ms},
            {"warm_job", detail::or_null(v.warm_job)},
            {"tasks", v.tasks}};
}

json to_json(const WorkerList& v) {
    json workers = json::array();
    for (const WorkerSummary& worker : v.workers) workers.push_back(to_json(worker));
    return {{"workers", std::move(workers)}};
}

template <>
Result<WorkerSummary> from_json<WorkerSummary>(const json& j) {
    return read_worker(j, "WorkerSummary");
}

template <>
Result<WorkerList> from_json<WorkerList>(const json& j) {
    WorkerList v;
    JsonFields f(j, "WorkerList");
    f.required_with("workers", v.workers, [](const json& list, const std::string& where) {
        return detail::read_list(list, where, "workers", read_worker);
    });
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace spotfarm::protocol
