#pragma once
// POST /jobs: the job a person submits. On the wire one flat JSON object: the job's own fields
// (name, frames, chunk, priority) beside its render settings (core::JobSettings, whose scene and
// output are the job's). `spotfarm submit`, `render` and `estimate --manager` write it with
// to_json; the manager reads it with from_json and hands the settings to every worker.

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/frame_set.h"
#include "core/job_settings.h"
#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::protocol {

// The most frames one task of a job may hold: what a worker takes in one assignment, so that a
// job the manager accepts is one every worker can render.
inline constexpr int k_max_chunk = static_cast<int>(k_max_task_frames);

struct JobSubmission {
    std::string name;             // empty: the manager names the job after the scene's file
    core::FrameSet frames;        // never empty; on the wire a frame set ("1-250") or one number
    std::optional<int> chunk;     // frames per task, 1 to k_max_chunk; none: the manager's (1)
    std::optional<int> priority;  // core::k_min_priority to k_max_priority; none: the default
    core::JobSettings settings;   // scene and output are required in a submission

    bool operator==(const JobSubmission&) const = default;
};

nlohmann::json to_json(const JobSubmission& v);

// The error names the field; settings are read (and refused) as from_json<JobSettings> does.
template <>
util::Result<JobSubmission> from_json<JobSubmission>(const nlohmann::json& j);

}  // namespace spotfarm::protocol
