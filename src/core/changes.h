#pragma once
// What one scheduler transition changed, so the caller can persist exactly that in one transaction.

#include <vector>

#include "core/attempt.h"
#include "core/event.h"
#include "core/ids.h"

namespace spotfarm::core {

// A job is deleted with its tasks, whose ids are consecutive, and their attempts.
struct DeletedJob {
    JobId id;
    TaskId first_task;
    TaskId last_task;
    friend bool operator==(const DeletedJob&, const DeletedJob&) = default;
};

struct Changes {
    std::vector<JobId> inserted_jobs;  // each with all its tasks
    std::vector<JobId> updated_jobs;
    std::vector<DeletedJob> deleted_jobs;
    std::vector<TaskId> updated_tasks;
    std::vector<WorkerId> inserted_workers;
    std::vector<WorkerId> updated_workers;
    std::vector<AttemptEnd> ended_attempts;
    std::vector<Event> events;
    bool work_queued = false;  // a task became claimable

    void job(JobId id);
    void task(TaskId id);
    void worker(WorkerId id);
    bool empty() const;
};

}  // namespace spotfarm::core
