#pragma once
// What one scheduler transition changed, so the caller can persist exactly that in one transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/task.h"

namespace spotfarm::core {

enum class AttemptOutcome : std::uint8_t {
    running,
    completed,
    failed,
    lease_expired,  // no heartbeat in time
    released,       // the worker drained
    stopped,        // its job was paused, canceled, failed or deleted
    superseded,     // another worker delivered the results first
};

std::string_view to_string(AttemptOutcome outcome);
std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view text);

struct AttemptStart {
    AttemptId id;
    TaskId task;
    JobId job;
    WorkerId worker;
    std::int64_t time_ms = 0;
};

struct AttemptEnd {
    AttemptId id;
    AttemptOutcome outcome = AttemptOutcome::completed;
    std::int64_t time_ms = 0;
    std::string error;
    std::string log_tail;
    std::vector<FrameResult> results;
};

struct Event {
    EventId id;
    std::int64_t time_ms = 0;
    std::string kind;  // "job.completed", "task.failed", "worker.offline", ...
    JobId job;
    TaskId task;
    WorkerId worker;
    std::string message;
};

struct Changes {
    std::vector<JobId> inserted_jobs;  // each with all its tasks
    std::vector<JobId> updated_jobs;
    std::vector<JobId> deleted_jobs;  // with their tasks and attempts
    std::vector<TaskId> updated_tasks;
    std::vector<WorkerId> inserted_workers;
    std::vector<WorkerId> updated_workers;
    std::vector<AttemptStart> started_attempts;
    std::vector<AttemptEnd> ended_attempts;
    std::vector<Event> events;
    bool work_queued = false;  // a task became claimable

    void job(JobId id);
    void task(TaskId id);
    void worker(WorkerId id);
    bool empty() const;
};

}  // namespace spotfarm::core
