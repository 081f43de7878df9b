#pragma once
// A task: one chunk of a job's frames, leased to one worker at a time.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/frame_set.h"
#include "core/ids.h"
#include "core/task_status.h"
#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::core {

struct Task {
    TaskId id;
    JobId job;
    FrameSet frames;
    TaskStatus status = TaskStatus::queued;
    // While active: the lease holder. Otherwise: the worker of the latest attempt, if any.
    WorkerId worker;
    AttemptId attempt;                         // the latest attempt
    std::int64_t attempt_started_ms = 0;       // Unix time the latest attempt started
    int attempts = 0;                          // attempts started
    std::vector<WorkerId> failed_on;           // distinct workers it failed on, in order
    util::Clock::time_point lease_deadline{};  // while active
    std::int64_t lease_deadline_ms = 0;        // the same deadline in Unix time, for people

    bool failed_on_worker(WorkerId w) const;
};

// What a worker reports for one rendered frame.
struct FrameResult {
    int frame = 0;
    std::string output;  // the file written
    double render_seconds = 0;
    std::int64_t peak_memory_bytes = 0;
    // What went wrong without failing the frame: missing files, a fallback, another device.
    std::vector<std::string> warnings;
};

// Results are valid when they name every frame of `task` once and an output for each.
util::Status validate_results(const Task& task, std::span<const FrameResult> results);

}  // namespace spotfarm::core
