#pragma once
// The Farm's records as JSON, for the HTTP routes: parsing of request bodies (with an error
// naming the field that is wrong) and rendering of answers. Ids are JSON integers, times Unix
// milliseconds (*_ms), statuses lower-case names.

#include <vector>

#include <nlohmann/json.hpp>

#include "manager/farm_types.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"
#include "protocol/worker_summary.h"
#include "util/result.h"

namespace spotfarm::manager {

// --- request bodies ---------------------------------------------------------------------------
// A job: {"scene", "output", "frames" (spec or one frame number), "chunk"?, "priority"?, "name"?,
// ...}. Its render settings (core::JobSettings: format, engine, device, samples, resolution, ...)
// are kept as the job's settings and handed to its workers; other fields are not kept.
util::Result<core::JobSpec> job_spec_from_json(const nlohmann::json& body);
// {"name", "host"?, "cores"?, "memory_bytes"?, "gpus"?: [..], "blender_version"?, "tags"?: [..]}
util::Result<core::WorkerInfo> worker_info_from_json(const nlohmann::json& body);
// {"fraction"?, "frame"?, "message"?}
util::Result<Progress> progress_from_json(const nlohmann::json& body);
// {"frames": [{"frame", "output", "render_seconds"?, "peak_memory_bytes"?}, ...]}
util::Result<std::vector<core::FrameResult>> frame_results_from_json(const nlohmann::json& body);
// {"error", "log_tail"?}
util::Result<FailureReport> failure_from_json(const nlohmann::json& body);

// --- answers
// ----------------------------------------------------------------------------------------
nlohmann::json to_json(const WorkerCredentials& credentials);
nlohmann::json to_json(const Assignment& assignment);
nlohmann::json to_json(const HeartbeatAnswer& answer);
nlohmann::json to_json(core::CompleteOutcome outcome);
nlohmann::json to_json(core::FailOutcome outcome);
nlohmann::json to_json(const ReapReport& report);
nlohmann::json to_json(const core::Event& event);

// --- what people are shown: the protocol's wire structs (farm_json_wire.cpp). The routes write
// them with protocol::to_json; every client reads them back with protocol::from_json.
protocol::JobSummary to_wire(const JobSummary& job);
protocol::JobDetail to_wire(const JobDetail& job);
protocol::TaskSummary to_wire(const TaskSummary& task);
// Without the live log tail, which the Farm does not hold: GET /tasks/{id} adds it.
protocol::TaskDetail to_wire(const TaskDetail& task);
protocol::WorkerSummary to_wire(const WorkerSummary& worker);
protocol::JobList to_wire(const std::vector<JobSummary>& jobs);
protocol::TaskList to_wire(const std::vector<TaskSummary>& tasks);
protocol::WorkerList to_wire(const std::vector<WorkerSummary>& workers);

// A list of any of the answers above, as a JSON array.
template <class T>
nlohmann::json to_json_array(const std::vector<T>& items) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : items) out.push_back(to_json(item));
    return out;
}

}  // namespace spotfarm::manager
