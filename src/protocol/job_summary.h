#pragma once
// The jobs the manager shows people (GET /jobs, GET /jobs/{id}, the answers of POST /jobs and of
// the job actions) as wire structs, written by the manager and read by every client with the
// checked readers of protocol.h: reading names the field that is wrong and never throws. Ids are
// integers, times Unix milliseconds (*_ms), statuses lower-case names. docs/api.md has the shapes.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/frame_set.h"
#include "core/job_status.h"
#include "core/task_status.h"
#include "protocol/protocol.h"

namespace spotfarm::protocol {

// One job as lists show it: what was asked and its tasks counted by status.
struct JobSummary {
    std::int64_t id = 0;
    std::string name;
    core::JobStatus status = core::JobStatus::queued;
    int priority = 0;
    std::int64_t created_ms = 0;
    // The job's frames as a frame set ("1-250x5"), kept as text so that a list of jobs does not
    // expand every job's frames.
    std::string frames;
    std::int64_t frame_count = 0;
    int chunk = 1;  // frames per task
    std::string scene;
    std::string output;
    std::string message;  // why it failed, or empty
    std::map<core::TaskStatus, std::int64_t> tasks;

    bool operator==(const JobSummary&) const = default;
};

// A warning that rendered frames of the job carry (a missing file, a fallback, another device than
// the one asked for), once, with the frames that reported it.
struct JobWarning {
    std::string message;
    core::FrameSet frames;

    bool operator==(const JobWarning&) const = default;
};

// One job in full (GET /jobs/{id}): on the wire the summary's fields and these beside them.
struct JobDetail {
    JobSummary summary;
    nlohmann::json settings = nlohmann::json::object();           // the body as submitted
    std::map<core::TaskStatus, core::FrameSet> frames_by_status;  // by the status of their task
    std::int64_t frames_done = 0;
    std::map<std::int64_t, int> worker_failures;  // failed tasks by worker id
    std::vector<std::int64_t> blocklisted;        // workers that may not take the job any more
    std::vector<JobWarning> warnings;             // of its completed frames, most frames first

    bool operator==(const JobDetail&) const = default;
};

// GET /jobs: {"jobs": [...]}, oldest first.
struct JobList {
    std::vector<JobSummary> jobs;

    bool operator==(const JobList&) const = default;
};

nlohmann::json to_json(const JobSummary& v);
nlohmann::json to_json(const JobDetail& v);
nlohmann::json to_json(const JobList& v);

template <>
util::Result<JobSummary> from_json<JobSummary>(const nlohmann::json& j);
template <>
util::Result<JobDetail> from_json<JobDetail>(const nlohmann::json& j);
template <>
util::Result<JobList> from_json<JobList>(const nlohmann::json& j);

}  // namespace spotfarm::protocol
