#pragma once
// The life of a job: its statuses and the named transitions between them. A transition that is not
// allowed from the current status is refused with a message a person can act on.

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/result.h"

namespace spotfarm::core {

enum class JobStatus : std::uint8_t { queued, active, paused, completed, failed, canceled };

enum class JobTransition : std::uint8_t {
    start,     // queued -> active: a worker claimed its first task
    pause,     // queued|active -> paused: no new claims; running tasks are stopped
    resume,    // paused -> queued
    complete,  // queued|active|paused -> completed: every task completed
    fail,      // queued|active|paused -> failed: too many tasks failed or no worker is left
    cancel,    // queued|active|paused|failed -> canceled
    requeue,   // failed|canceled -> queued: its failed and canceled tasks are queued again
};

std::string_view to_string(JobStatus status);
std::string_view to_string(JobTransition transition);
std::optional<JobStatus> parse_job_status(std::string_view text);

bool allowed(JobStatus from, JobTransition transition);
// The status after `transition`, or an error naming the job's status when it is not allowed.
util::Result<JobStatus> apply(JobStatus from, JobTransition transition);

// Tasks of a runnable job may be claimed.
inline bool is_runnable(JobStatus s) {
    return s == JobStatus::queued || s == JobStatus::active;
}
inline bool is_finished(JobStatus s) {
    return s == JobStatus::completed || s == JobStatus::failed || s == JobStatus::canceled;
}

}  // namespace spotfarm::core
