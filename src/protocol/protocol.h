#pragma once
// The wire structs of the manager-worker protocol (docs/protocol.md) and their JSON. Both sides use
// these functions: the worker to write requests and read answers, the manager to read requests and
// write answers. Reading checks every field and says which one is wrong; it never throws.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/frame_set.h"
#include "core/job_settings.h"
#include "util/result.h"

namespace spotfarm::protocol {

using core::FrameSet;
using core::JobSettings;

// The most frames one task may hold; a larger frame set is refused as malformed.
inline constexpr std::size_t k_max_task_frames = 100'000;

// POST /workers: what a worker brings. (The scheduler's own core::WorkerInfo and core::FrameResult
// count memory in bytes; these wire structs count it in MiB as the protocol does.)
struct RegisterRequest {
    std::string name;
    std::string host;
    int cores = 0;
    std::int64_t memory_mb = 0;
    std::vector<std::string> gpus;  // GPU backends Blender can use here: "CUDA", "OPTIX", ...
    std::string blender_version;
    std::vector<std::string> tags;
};

// The answer to POST /workers.
struct Registration {
    std::int64_t id = 0;
    std::string secret;  // the bearer token for this worker's later calls
    int lease_seconds = 0;
    int heartbeat_seconds = 0;
};

// POST /workers/{id}/claim: the job whose scene the worker's Blender already holds, if any, and
// whether the worker refuses jobs that let the scene run Python (allow_scripts).
struct ClaimRequest {
    std::optional<std::int64_t> warm_job_id;
    bool refuse_scripts = false;
};

// The answer to a claim that found work. On the wire `frames` is a frame set like "1-4".
struct Assignment {
    std::int64_t task_id = 0;
    std::int64_t attempt_id = 0;
    std::int64_t job_id = 0;
    FrameSet frames;  // rendered in ascending order
    int lease_seconds = 0;
    JobSettings job;
};

// The ids alone of an Assignment, read from one whose other fields a worker cannot take (a
// frame set above its limit, a newer manager's settings): it then fails that attempt with the
// reason instead of leaving the task leased to nobody.
struct TaskAttempt {
    std::int64_t task_id = 0;
    std::int64_t attempt_id = 0;
};

// POST /tasks/{id}/progress: heartbeat and progress. `sample`/`samples_total` are 0 when unknown.
struct ProgressReport {
    std::int64_t worker_id = 0;
    std::int64_t attempt_id = 0;
    int frame = 0;
    int sample = 0;
    int samples_total = 0;
    std::string log;  // Blender's output since the previous report
};

enum class ProgressAction { keep_going, stop };  // "continue", "stop"

struct ProgressAnswer {
    ProgressAction action = ProgressAction::keep_going;
    int lease_seconds = 0;
};

struct FrameReport {
    int frame = 0;
    std::string output;  // the frame's file, as the worker wrote it
    double render_seconds = 0;
    double peak_memory_mb = 0;
    std::vector<std::string> warnings;
};

// POST /tasks/{id}/complete: every frame of the task is done.
struct CompleteReport {
    std::int64_t worker_id = 0;
    std::int64_t attempt_id = 0;
    std::vector<FrameReport> frames;
};

// POST /tasks/{id}/fail: the task failed; `frames` are those finished before the failure.
struct FailReport {
    std::int64_t worker_id = 0;
    std::int64_t attempt_id = 0;
    std::string error;
    std::string log_tail;
    std::vector<FrameReport> frames;
};

enum class LeaveReason { shutdown, spot_interruption, rebalance };  // "shutdown", ...

// POST /tasks/{id}/release: the worker gives the task back unfinished (it is leaving); `frames`
// are those it finished, the rest are queued again at once and no failure is counted.
struct ReleaseReport {
    std::int64_t worker_id = 0;
    std::int64_t attempt_id = 0;
    LeaveReason reason = LeaveReason::shutdown;
    std::vector<FrameReport> frames;
};

// POST /workers/{id}/drain.
struct DrainRequest {
    LeaveReason reason = LeaveReason::shutdown;
    bool return_tasks = true;
};

struct DrainAnswer {
    std::vector<std::int64_t> returned_tasks;
};

// POST /workers/{id}/sign-off.
struct SignOffRequest {
    LeaveReason reason = LeaveReason::shutdown;
};

// The body of every 4xx/5xx answer.
struct ErrorBody {
    std::string error;
    std::string code;
};

std::string_view to_string(ProgressAction action);
std::string_view to_string(LeaveReason reason);

nlohmann::json to_json(const RegisterRequest& v);
nlohmann::json to_json(const Registration& v);
nlohmann::json to_json(const ClaimRequest& v);
nlohmann::json to_json(const JobSettings& v);
nlohmann::json to_json(const Assignment& v);
nlohmann::json to_json(const ProgressReport& v);
nlohmann::json to_json(const ProgressAnswer& v);
nlohmann::json to_json(const FrameReport& v);
nlohmann::json to_json(const CompleteReport& v);
nlohmann::json to_json(const FailReport& v);
nlohmann::json to_json(const ReleaseReport& v);
nlohmann::json to_json(const DrainRequest& v);
nlohmann::json to_json(const DrainAnswer& v);
nlohmann::json to_json(const SignOffRequest& v);
nlohmann::json to_json(const ErrorBody& v);

// Reads one wire struct from JSON; defined for each struct above. The error names the field.
template <class T>
util::Result<T> from_json(const nlohmann::json& j);

template <>
util::Result<RegisterRequest> from_json<RegisterRequest>(const nlohmann::json& j);
template <>
util::Result<Registration> from_json<Registration>(const nlohmann::json& j);
template <>
util::Result<ClaimRequest> from_json<ClaimRequest>(const nlohmann::json& j);
template <>
util::Result<JobSettings> from_json<JobSettings>(const nlohmann::json& j);
template <>
util::Result<Assignment> from_json<Assignment>(const nlohmann::json& j);
template <>
util::Result<TaskAttempt> from_json<TaskAttempt>(const nlohmann::json& j);
template <>
util::Result<ProgressReport> from_json<ProgressReport>(const nlohmann::json& j);
template <>
util::Result<ProgressAnswer> from_json<ProgressAnswer>(const nlohmann::json& j);
template <>
util::Result<FrameReport> from_json<FrameReport>(const nlohmann::json& j);
template <>
util::Result<CompleteReport> from_json<CompleteReport>(const nlohmann::json& j);
template <>
util::Result<FailReport> from_json<FailReport>(const nlohmann::json& j);
template <>
util::Result<ReleaseReport> from_json<ReleaseReport>(const nlohmann::json& j);
template <>
util::Result<DrainRequest> from_json<DrainRequest>(const nlohmann::json& j);
template <>
util::Result<DrainAnswer> from_json<DrainAnswer>(const nlohmann::json& j);
template <>
util::Result<SignOffRequest> from_json<SignOffRequest>(const nlohmann::json& j);
template <>
util::Result<ErrorBody> from_json<ErrorBody>(const nlohmann::json& j);

// JSON text -> struct, for request and answer bodies.
template <class T>
util::Result<T> parse_body(std::string_view text);

// struct -> JSON text.
template <class T>
std::string to_body(const T& value);

}  // namespace spotfarm::protocol
