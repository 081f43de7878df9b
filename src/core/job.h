#pragma once
// A job: a scene, its frames and where they go, split into tasks of `chunk` frames.

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "core/frame_set.h"
#include "core/ids.h"
#include "core/job_status.h"
#include "core/task_status.h"
#include "util/result.h"

namespace spotfarm::core {

inline constexpr int k_min_priority = 0;
inline constexpr int k_max_priority = 100;
inline constexpr int k_default_priority = 50;

// What a person submits. `settings` is opaque JSON text handed to the workers as it is.
struct JobSpec {
    std::string name;  // defaults to the scene's file name
    std::string scene;
    std::string output;
    std::string frames;  // a frame spec such as "1-250"
    int chunk = 1;       // frames per task
    int priority = k_default_priority;
    std::string settings = "{}";
    bool allow_scripts = false;  // the settings let the scene run Python
};

// A spec that passed validation, with its frames parsed.
struct ValidJobSpec {
    JobSpec spec;
    FrameSet frames;
};

// Checks every field the farm relies on; the error says which field is wrong and how to fix it.
util::Result<ValidJobSpec> validate(JobSpec spec);

struct Job {
    JobId id;
    std::string name;
    std::string scene;
    std::string output;
    FrameSet frames;
    int chunk = 1;
    int priority = k_default_priority;
    std::string settings = "{}";
    // The settings let the scene run Python: workers that refuse scripts are not given it. Not
    // stored on its own; whoever restores a job reads it back from `settings`.
    bool allow_scripts = false;
    JobStatus status = JobStatus::queued;
    std::int64_t created_ms = 0;  // Unix time
    std::string message;          // why it failed or was stopped, for people
    std::array<std::int64_t, k_task_status_count> counts{};  // tasks by TaskStatus
    std::map<WorkerId, int> worker_failures;                 // failed tasks per worker

    std::int64_t count(TaskStatus s) const { return counts[static_cast<std::size_t>(s)]; }
    std::int64_t task_count() const;
};

}  // namespace spotfarm::core
