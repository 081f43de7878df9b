#include "protocol/task_summary.h"

#include <nlohmann/json.hpp>

#include "protocol/summary_fields.h"
#include "util/json_fields.h"

namespace spotfarm::protocol {

using nlohmann::json;
using util::JsonFields;
using util::Result;

namespace {

Result<core::TaskStatus> read_task_status(const json& j, const std::string& where) {
    return detail::read_name(j, where, core::parse_task_status, "a task status");
}

Result<core::AttemptOutcome> read_outcome(const json& j, const std::string& where) {
    return detail::read_name(j, where, core::parse_attempt_outcome, "an attempt outcome");
}

Result<TaskProgress> read_progress(const json& j, const std::string& where) {
    TaskProgress v;
    JsonFields f(j, where);
    f.required("fraction", v.fraction).optional("frame", v.frame).required("message", v.message);
    if (!f.ok()) return f.status().error();
    return v;
}

// The fields of a summary, which a detail carries at its own top level.
void read_summary(JsonFields& f, TaskSummary& v) {
    f.required("id", v.id)
        .required("job", v.job)
        .required_with("frames", v.frames, detail::read_frame_set)
        .required_with("status", v.status, read_task_status)
        .optional("worker", v.worker)
        .required("attempts", v.attempts)
        .required_with("failed_on", v.failed_on, detail::read_ids)
        .optional("lease_seconds", v.lease_seconds)
        .optional_with(
            "progress", v.progress,
            [](const json& j, const std::string& where) -> Result<std::optional<TaskProgress>> {
                auto progress = read_progress(j, where);
                if (!progress) return progress.error();
                return std::optional(std::move(progress).value());
            });
    f.check(v.id >= 1, "id", "must be at least 1")
        .check(v.job >= 1, "job", "must be at least 1")
        .check(v.worker.value_or(1) >= 1, "worker", "must be a worker id or null")
        .check(v.attempts >= 0, "attempts", "must not be negative");
}

Result<TaskSummary> read_task_summary(const json& j, const std::string& where) {
    TaskSummary v;
    JsonFields f(j, where);
    read_summary(f, v);
    if (!f.ok()) return f.status().error();
    return v;
}

Result<FrameRecord> read_frame(const json& j, const std::string& where) {
    FrameRecord v;
    JsonFields f(j, where);
    f.required("frame", v.frame)
        .required("output", v.output)
        .required("render_seconds", v.render_seconds)
        .required("peak_memory_bytes", v.peak_memory_bytes)
        .defaulted("warnings", v.warnings);
    f.check(v.render_seconds >= 0, "render_seconds", "must not be negative")
        .check(v.peak_memory_bytes >= 0, "peak_memory_bytes", "must not be negative");
    if (!f.ok()) return f.status().error();
    return v;
}

Result<AttemptRecord> read_attempt(const json& j, const std::string& where) {
    AttemptRecord v;
    JsonFields f(j, where);
    f.required("id", v.id)
        .required("task", v.task)
        .required("job", v.job)
        .required("worker", v.worker)
        .required("started_ms", v.started_ms)
        .optional("ended_ms", v.ended_ms)
        .required_with("outcome", v.outcome, read_outcome)
        .required("error", v.error)
        .required("log_tail", v.log_tail)
        .required_with("results", v.results, [](const json& list, const std::string& at) {
            return detail::read_list(list, at, "frame results", read_frame);
        });
    f.check(v.id >= 1, "id", "must be at least 1")
        .check(v.task >= 1, "task", "must be at least 1")
        .check(v.job >= 1, "job", "must be at least 1")
        .check(v.started_ms >= 0, "started_ms", "must not be negative");
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace

json to_json(const TaskProgress& v) {
    return {{"fraction", v.fraction},
            {"frame", v.frame ? json(*v.frame) : json(nullptr)},
            {"message", v.message}};
}

json to_json(const TaskSummary& v) {
    json out = {{"id", v.id},
                {"job", v.job},
                {"frames", v.frames.to_string()},
                {"status", core::to_string(v.status)},
                {"worker", detail::or_null(v.worker)},
                {"attempts", v.attempts},
                {"failed_on", v.failed_on}};
    if (v.lease_seconds) out["lease_seconds"] = *v.lease_seconds;
    if (v.progress) out["progress"] = to_json(*v.progress);
    return out;
}

json to_json(const FrameRecord& v) {
    return {{"frame", v.frame},
            {"output", v.output},
            {"render_seconds", v.render_seconds},
            {"peak_memory_bytes", v.peak_memory_bytes},
            {"warnings", v.warnings}};
}

json to_json(const AttemptRecord& v) {
    json results = json::array();
    for (const FrameRecord& r : v.results) results.push_back(to_json(r));
    return {{"id", v.id},
            {"task", v.task},
            {"job", v.job},
            {"worker", v.worker},
            {"started_ms", v.started_ms},
            {"ended_ms", detail::or_null(v.ended_ms)},
            {"outcome", core::to_string(v.outcome)},
            {"error", v.error},
            {"log_tail", v.log_tail},
            {"results", std::move(results)}};
}

json to_json(const TaskDetail& v) {
    json out = to_json(v.summary);
    json attempts = json::array();
    for (const AttemptRecord& a : v.attempt_list) attempts.push_back(to_json(a));
    out["attempt_list"] = std::move(attempts);
    if (v.log_tail) out["log_tail"] = *v.log_tail;
    return out;
}

json to_json(const TaskList& v) {
    json tasks = json::array();
    for (const TaskSummary& task : v.tasks) tasks.push_back(to_json(task));
    return {{"tasks", std::move(tasks)}};
}

template <>
Result<TaskProgress> from_json<TaskProgress>(const json& j) {
    return read_progress(j, "TaskProgress");
}

template <>
Result<TaskSummary> from_json<TaskSummary>(const json& j) {
    return read_task_summary(j, "TaskSummary");
}

template <>
Result<FrameRecord> from_json<FrameRecord>(const json& j) {
    return read_frame(j, "FrameRecord");
}

template <>
Result<AttemptRecord> from_json<AttemptRecord>(const json& j) {
    return read_attempt(j, "AttemptRecord");
}

template <>
Result<TaskDetail> from_json<TaskDetail>(const json& j) {
    TaskDetail v;
    JsonFields f(j, "TaskDetail");
    read_summary(f, v.summary);
    f.required_with("attempt_list", v.attempt_list, [](const json& list, const std::string& where) {
         return detail::read_list(list, where, "attempts", read_attempt);
     }).optional("log_tail", v.log_tail);
    if (!f.ok()) return f.status().error();
    return v;
}

template <>
Result<TaskList> from_json<TaskList>(const json& j) {
    TaskList v;
    JsonFields f(j, "TaskList");
    f.required_with("tasks", v.tasks, [](const json& list, const std::string& where) {
        return detail::read_list(list, where, "tasks", read_task_summary);
    });
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace spotfarm::protocol
