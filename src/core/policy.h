#pragma once
// The knobs of the scheduler: lease length, retries, blocklist and when a job gives up.

#include <chrono>

namespace spotfarm::core {

struct SchedulerPolicy {
    // A task stays leased this long after its claim or its last heartbeat.
    std::chrono::milliseconds lease{std::chrono::seconds(60)};
    // A worker not heard from for this long is marked offline.
    std::chrono::milliseconds worker_timeout{std::chrono::seconds(120)};
    // A task fails for good once it failed on this many distinct workers.
    int max_task_failures = 3;
    // A worker that failed this many tasks of a job gets no more tasks of that job.
    int blocklist_after = 3;
    // A job fails once more than this share of its tasks failed (1.0: only when all are done).
    double max_failed_share = 0.5;
    // A job fails when a task that must be retried has no eligible online worker left.
    bool fail_when_no_worker_left = true;
};

}  // namespace spotfarm::core
