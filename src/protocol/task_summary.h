#pragma once
// The tasks the manager shows people (GET /jobs/{id}/tasks, GET /tasks/{id}) as wire structs,
// written by the manager and read by every client with the checked readers of protocol.h. A task
// is one chunk of a job's frames; an attempt is one worker's try at it. docs/api.md has the shapes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/attempt.h"
#include "core/frame_set.h"
#include "core/task_status.h"
#include "protocol/protocol.h"

namespace spotfarm::protocol {

// The latest heartbeat of a task in progress.
struct TaskProgress {
    double fraction = 0;       // of the task, 0..1
    std::optional<int> frame;  // the frame it renders now; null when not known
    std::string message;       // "frame 12, sample 3/64"

    bool operator==(const TaskProgress&) const = default;
};

// One task as lists show it.
struct TaskSummary {
    std::int64_t id = 0;
    std::int64_t job = 0;
    FrameSet frames;
    core::TaskStatus status = core::TaskStatus::queued;
    std::optional<std::int64_t> worker;  // lease holder while active, else the latest; null: none
    int attempts = 0;
    std::vector<std::int64_t> failed_on;   // workers it failed on
    std::optional<double> lease_seconds;   // left, while active
    std::optional<TaskProgress> progress;  // the latest heartbeat, while active

    bool operator==(const TaskSummary&) const = default;
};

// A frame of an attempt as the manager recorded it (memory in bytes, unlike FrameReport).
struct FrameRecord {
    int frame = 0;
    std::string output;
    double render_seconds = 0;
    std::int64_t peak_memory_bytes = 0;
    std::vector<std::string> warnings;  // as the worker reported them

    bool operator==(const FrameRecord&) const = default;
};

// One worker's try at a task, from its claim to its end.
struct AttemptRecord {
    std::int64_t id = 0;
    std::int64_t task = 0;
    std::int64_t job = 0;
    std::int64_t worker = 0;
    std::int64_t started_ms = 0;
    std::optional<std::int64_t> ended_ms;  // null while it runs
    core::AttemptOutcome outcome = core::AttemptOutcome::running;
    std::string error;
    std::string log_tail;
    std::vector<FrameRecord> results;

    bool operator==(const AttemptRecord&) const = default;
};

// One task in full (GET /tasks/{id}): on the wire the summary's fields and these beside them.
struct TaskDetail {
    TaskSummary summary;
    std::vector<AttemptRecord> attempt_list;  // oldest first
    // While the task is in progress, the newest output its worker streamed.
    std::optional<std::string> log_tail;

    bool operator==(const TaskDetail&) const = default;
};

// GET /jobs/{id}/tasks: {"tasks": [...]}, in frame order.
struct TaskList {
    std::vector<TaskSummary> tasks;

    bool operator==(const TaskList&) const = default;
};

nlohmann::json to_json(const TaskProgress& v);
nlohmann::json to_json(const TaskSummary& v);
nlohmann::json to_json(const FrameRecord& v);
nlohmann::json to_json(const AttemptRecord& v);
nlohmann::json to_json(const TaskDetail& v);
nlohmann::json to_json(const TaskList& v);

template <>
util::Result<TaskProgress> from_json<TaskProgress>(const nlohmann::json& j);
template <>
util::Result<TaskSummary> from_json<TaskSummary>(const nlohmann::json& j);
template <>
util::Result<FrameRecord> from_json<FrameRecord>(const nlohmann::json& j);
template <>
util::Result<AttemptRecord> from_json<AttemptRecord>(const nlohmann::json& j);
template <>
util::Result<TaskDetail> from_json<TaskDetail>(const nlohmann::json& j);
template <>
util::Result<TaskList> from_json<TaskList>(const nlohmann::json& j);

}  // namespace spotfarm::protocol
