#pragma once
// The live ETA of a job on a farm (`spotfarm render`, `spotfarm job ID`), from the manager's
// answers as the protocol's wire structs (protocol/job_summary.h, protocol/task_summary.h):
// estimate::live_eta_seconds over the frames left, each predicted from the render times of the
// finished frames near it rather than a plain average.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimate/estimate.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"
#include "util/result.h"

namespace spotfarm::cli {

// Seconds of the frames of a task, from the results of its completed attempts: their render
// times, scaled up to the attempt's duration when that was longer (the worker's time around
// Blender's render call: scene load, saving, checks).
estimate::FrameTimes frame_times_in_task(const protocol::TaskDetail& task);

struct JobEta {
    double seconds = 0;
    std::size_t frames_left = 0;
    std::size_t workers = 0;       // the tasks in flight, at least 1
    double work_left_seconds = 0;  // predicted render seconds of the frames left, not yet run
};

// `done`: render times of finished frames; `active`: the job's active tasks. Frames left are
// those neither completed, failed nor canceled; each active task's current frame counts as begun
// by its progress fraction. nullopt when no frame time is known yet.
std::optional<JobEta> job_eta(const protocol::JobDetail& job, const estimate::FrameTimes& done,
                              const std::vector<protocol::TaskSummary>& active);

// Gathers a job's frame times, asking the manager only about tasks completed since last time.
class JobFrameTimes {
public:
    // GET of an API path such as "/tasks/7", the answer's body.
    using Get = std::function<util::Result<nlohmann::json>(const std::string& path)>;
    explicit JobFrameTimes(Get get) : m_get(std::move(get)) {}

    // Fails when the manager cannot be read or its answers are not the wire structs.
    util::Status refresh(std::int64_t job);
    const estimate::FrameTimes& times() const { return m_times; }

private:
    Get m_get;
    std::set<std::int64_t> m_seen;  // completed tasks already read
    estimate::FrameTimes m_times;
};

}  // namespace spotfarm::cli
