#pragma once
// The plain records the Farm takes and gives; farm_json.h turns them into JSON and back.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/attempt.h"
#include "core/job.h"
#include "core/scheduler.h"
#include "core/task.h"
#include "core/worker.h"

namespace spotfarm::manager {

// Errors of the Farm are util::ErrorKind invalid (400), not_found (404), conflict (409), or
// storage when the state database failed (503).

// A warning of a job's rendered frames, once, with the frames that reported it.
struct JobWarning {
    std::string message;
    core::FrameSet frames;
};

struct WorkerCredentials {
    core::WorkerId id;
    std::string secret;  // shown once; the farm keeps only its hash
};

// A task handed to a worker.
struct Assignment {
    core::TaskId task;
    core::JobId job;
    core::AttemptId attempt;
    core::FrameSet frames;
    std::string scene;
    std::string output;
    std::string settings;      // the job's settings, JSON text as submitted
    double lease_seconds = 0;  // heartbeat before this runs out
};

// What a worker reports with its heartbeat.
struct Progress {
    double fraction = 0;       // of the task, 0..1
    std::optional<int> frame;  // the frame it renders now
    std::string message;       // e.g. "Sample 12/64"
};

// What a worker reports when a task failed.
struct FailureReport {
    std::string error;     // a line for people: what went wrong
    std::string log_tail;  // the end of Blender's output
};

struct HeartbeatAnswer {
    bool keep_going = true;
    core::StopReason reason = core::StopReason::none;  // why to stop
    double lease_seconds = 0;                          // the lease left after this heartbeat
};

struct ReapReport {
    std::size_t leases_expired = 0;
    std::size_t workers_offline = 0;
};

struct JobSummary {
    core::JobId id;
    std::string name;
    core::JobStatus status = core::JobStatus::queued;
    int priority = 0;
    std::int64_t created_ms = 0;
    std::string frames;  // the spec
    std::int64_t frame_count = 0;
    int chunk = 1;
    std::string scene;
    std::string output;
    std::string message;
    std::map<core::TaskStatus, std::int64_t> tasks;  // tasks by status
};

struct JobDetail {
    JobSummary summary;
    std::string settings;
    // The job's frames by the status of their task, as frame specs ("1-40,42").
    std::map<core::TaskStatus, std::string> frames_by_status;
    std::int64_t frames_done = 0;
    std::map<core::WorkerId, int> worker_failures;
    std::vector<core::WorkerId> blocklisted;
    std::vector<JobWarning> warnings;  // JobWarnings::list()
};

struct TaskFilter {
    std::optional<core::TaskStatus> status;
    std::size_t offset = 0;
    std::size_t limit = 1000;
};

struct TaskSummary {
    core::TaskId id;
    core::JobId job;
    std::string frames;
    core::TaskStatus status = core::TaskStatus::queued;
    core::WorkerId worker;  // lease holder while active, else the latest worker
    int attempts = 0;
    std::vector<core::WorkerId> failed_on;
    std::optional<double> lease_seconds;  // left, while active
    std::optional<Progress> progress;     // latest heartbeat, while active
};

struct TaskDetail {
    TaskSummary summary;
    std::vector<core::Attempt> attempts;  // oldest first, with errors, log tails and results
};

struct WorkerSummary {
    core::WorkerId id;
    core::WorkerInfo info;
    core::WorkerStatus status = core::WorkerStatus::online;
    std::int64_t registered_ms = 0;
    std::int64_t last_seen_ms = 0;
    std::optional<core::JobId> warm_job;
    std::vector<core::TaskId> tasks;
};

}  // namespace spotfarm::manager
