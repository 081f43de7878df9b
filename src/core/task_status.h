#pragma once
// The life of a task (one chunk of a job's frames): statuses and named transitions.

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/result.h"

namespace spotfarm::core {

enum class TaskStatus : std::uint8_t { queued, active, completed, failed, canceled };
inline constexpr int k_task_status_count = 5;

enum class TaskTransition : std::uint8_t {
    claim,     // queued -> active: leased to a worker
    complete,  // active|queued -> completed: results arrived (late results of a lost lease count)
    retry,     // active -> queued: it failed and may be tried on another worker
    release,   // active -> queued: the lease expired, the worker drained, or its job stopped
    fail,      // active|queued -> failed: failed on too many workers, or no worker is left
    cancel,    // queued|active -> canceled
    requeue,   // failed|canceled -> queued
};

std::string_view to_string(TaskStatus status);
std::string_view to_string(TaskTransition transition);
std::optional<TaskStatus> parse_task_status(std::string_view text);

bool allowed(TaskStatus from, TaskTransition transition);
// The status after `transition`, or an error naming the task's status when it is not allowed.
util::Result<TaskStatus> apply(TaskStatus from, TaskTransition transition);

inline bool is_finished(TaskStatus s) {
    return s == TaskStatus::completed || s == TaskStatus::failed || s == TaskStatus::canceled;
}

}  // namespace spotfarm::core
