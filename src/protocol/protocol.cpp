#include "protocol/protocol.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "protocol/transfer.h"
#include "util/json_fields.h"

namespace spotfarm::protocol {

using nlohmann::json;
using util::JsonFields;
using util::Result;

namespace {

// The struct read by `fields`, or the first problem found.
template <class T>
Result<T> read_result(const JsonFields& fields, T value) {
    if (!fields.ok()) return fields.status().error();
    return value;
}

template <class T>
void put_optional(json& j, const char* key, const std::optional<T>& value) {
    if (value) j[key] = *value;
}

Result<LeaveReason> parse_leave_reason(const json& j, const std::string& where) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        for (auto reason :
             {LeaveReason::shutdown, LeaveReason::spot_interruption, LeaveReason::rebalance}) {
            if (s == to_string(reason)) return reason;
        }
    }
    return util::make_error(where +
                            " must be \"shutdown\", \"spot-interruption\" or \"rebalance\"");
}

Result<ProgressAction> parse_action(const json& j, const std::string& where) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s == "continue") return ProgressAction::keep_going;
        if (s == "stop") return ProgressAction::stop;
    }
    return util::make_error(where + " must be \"continue\" or \"stop\"");
}

Result<FrameSet> parse_frames_field(const json& j, const std::string& where) {
    if (!j.is_string()) {
        return util::make_error(where + " must be a frame set such as \"1-4\", not " +
                                util::json_kind(j));
    }
    auto frames = FrameSet::parse(j.get_ref<const std::string&>());
    if (!frames) return util::make_error(where + ": " + frames.error().message);
    if (frames->empty() || frames->size() > k_max_task_frames) {
        return util::make_error(where + " must hold 1 to " + std::to_string(k_max_task_frames) +
                                " frames, not " + std::to_string(frames->size()));
    }
    return frames;
}

Result<std::vector<FrameReport>> parse_frame_results(const json& j, const std::string& where) {
    if (!j.is_array()) {
        return util::make_error(where + " must be a list of frame results, not " +
                                util::json_kind(j));
    }
    if (j.size() > k_max_task_frames) return util::make_error(where + " holds too many frames");
    std::vector<FrameReport> frames;
    frames.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        FrameReport frame;
        JsonFields f(j[i], where + "[" + std::to_string(i) + "]");
        f.required("frame", frame.frame)
            .required("output", frame.output)
            .required("render_seconds", frame.render_seconds)
            .required("peak_memory_mb", frame.peak_memory_mb)
            .defaulted("warnings", frame.warnings);
        f.check(!frame.output.empty(), "output", "must not be empty")
            .check(frame.render_seconds >= 0, "render_seconds", "must not be negative")
            .check(frame.peak_memory_mb >= 0, "peak_memory_mb", "must not be negative");
        if (!f.ok()) return f.status().error();
        frames.push_back(std::move(frame));
    }
    return frames;
}

Result<std::vector<std::int64_t>> parse_ids(const json& j, const std::string& where) {
    if (!j.is_array()) return util::make_error(where + " must be a list of ids");
    std::vector<std::int64_t> ids;
    for (const json& item : j) {
        std::int64_t id = 0;
        if (util::json_detail::read_value(item, id)) {
            return util::make_error(where + " must be a list of ids, but holds " +
                                    util::json_kind(item));
        }
        ids.push_back(id);
    }
    return ids;
}

Result<JobSettings> parse_job_settings(const json& j, const std::string& where) {
    JobSettings v;
    JsonFields f(j, where);
    f.required("scene", v.scene)
        .optional("output", v.output)
        .optional("format", v.format)
        .optional("engine", v.engine)
        .optional("device", v.device)
        .optional("samples", v.samples)
        .optional("resolution_x", v.resolution_x)
        .optional("resolution_y", v.resolution_y)
        .optional("percentage", v.percentage)
        .optional("threads", v.threads)
        .optional("scene_name", v.scene_name)
        .optional("allow_scripts", v.allow_scripts)
        .optional("strict", v.strict)
        .optional("frame_timeout_s", v.frame_timeout_s)
        .optional("stall_timeout_s", v.stall_timeout_s)
        .optional("tree", v.tree);
    auto within = [](const std::optional<int>& x, int lo, int hi) {
        return !x || (*x >= lo && *x <= hi);
    };
    f.check(!v.scene.empty(), "scene", "must not be empty")
        .check(within(v.samples, 1, 1 << 24), "samples", "must be at least 1")
        .check(within(v.resolution_x, 1, 65536), "resolution_x", "must be 1 to 65536")
        .check(within(v.resolution_y, 1, 65536), "resolution_y", "must be 1 to 65536")
        .check(within(v.percentage, 1, 32767), "percentage", "must be 1 to 32767")
        .check(within(v.threads, 0, 1 << 16), "threads", "must be 0 (all cores) or more")
        .check(v.frame_timeout_s.value_or(0) >= 0, "frame_timeout_s", "must not be negative")
        .check(v.stall_timeout_s.value_or(0) >= 0, "stall_timeout_s", "must not be negative")
        .check(!v.tree || is_blob_hash(*v.tree), "tree",
               "must be a SHA-256 in lower-case hex (64 characters)");
    return read_result(f, std::move(v));
}

}  // namespace

std::string_view to_string(ProgressAction action) {
    return action == ProgressAction::stop ? "stop" : "continue";
}

std::string_view to_string(LeaveReason reason) {
    switch (reason) {
        case LeaveReason::spot_interruption:
            return "spot-interruption";
        case LeaveReason::rebalance:
            return "rebalance";
        case LeaveReason::shutdown:
            break;
    }
    return "shutdown";
}

// ---- to JSON ----

json to_json(const RegisterRequest& v) {
    return {{"name", v.name},   {"host", v.host},
            {"cores", v.cores}, {"memory_mb", v.memory_mb},
            {"gpus", v.gpus},   {"blender_version", v.blender_version},
            {"tags", v.tags}};
}

json to_json(const Registration& v) {
    return {{"id", v.id},
            {"secret", v.secret},
            {"lease_seconds", v.lease_seconds},
            {"heartbeat_seconds", v.heartbeat_seconds}};
}

json to_json(const ClaimRequest& v) {
    json j = {{"warm_job_id", nullptr}};
    if (v.warm_job_id) j["warm_job_id"] = *v.warm_job_id;
    // Written only when set, so a claim reads the same to a manager that predates the field.
    if (v.refuse_scripts) j["refuse_scripts"] = true;
    return j;
}

json to_json(const JobSettings& v) {
    json j = {{"scene", v.scene}};
    put_optional(j, "output", v.output);
    put_optional(j, "format", v.format);
    put_optional(j, "engine", v.engine);
    put_optional(j, "device", v.device);
    put_optional(j, "samples", v.samples);
    put_optional(j, "resolution_x", v.resolution_x);
    put_optional(j, "resolution_y", v.resolution_y);
    put_optional(j, "percentage", v.percentage);
    put_optional(j, "threads", v.threads);
    put_optional(j, "scene_name", v.scene_name);
    put_optional(j, "allow_scripts", v.allow_scripts);
    put_optional(j, "strict", v.strict);
    put_optional(j, "frame_timeout_s", v.frame_timeout_s);
    put_optional(j, "stall_timeout_s", v.stall_timeout_s);
    put_optional(j, "tree", v.tree);
    return j;
}

json to_json(const Assignment& v) {
    return {{"task_id", v.task_id},
            {"attempt_id", v.attempt_id},
            {"job_id", v.job_id},
            {"frames", v.frames.to_string()},
            {"lease_seconds", v.lease_seconds},
            {"job", to_json(v.job)}};
}

json to_json(const ProgressReport& v) {
    return {{"worker_id", v.worker_id}, {"attempt_id", v.attempt_id},       {"frame", v.frame},
            {"sample", v.sample},       {"samples_total", v.samples_total}, {"log", v.log}};
}

json to_json(const ProgressAnswer& v) {
    return {{"action", to_string(v.action)}, {"lease_seconds", v.lease_seconds}};
}

json to_json(const FrameReport& v) {
    return {{"frame", v.frame},
            {"output", v.output},
            {"render_seconds", v.render_seconds},
            {"peak_memory_mb", v.peak_memory_mb},
            {"warnings", v.warnings}};
}

namespace {
json frames_json(const std::vector<FrameReport>& frames) {
    json out = json::array();
    for (const auto& frame : frames) out.push_back(to_json(frame));
    return out;
}
}  // namespace

json to_json(const CompleteReport& v) {
    return {{"worker_id", v.worker_id},
            {"attempt_id", v.attempt_id},
            {"frames", frames_json(v.frames)}};
}

json to_json(const FailReport& v) {
    return {{"worker_id", v.worker_id},
            {"attempt_id", v.attempt_id},
            {"error", v.error},
            {"log_tail", v.log_tail},
            {"frames", frames_json(v.frames)}};
}

json to_json(const ReleaseReport& v) {
    return {{"worker_id", v.worker_id},
            {"attempt_id", v.attempt_id},
            {"reason", to_string(v.reason)},
            {"frames", frames_json(v.frames)}};
}

json to_json(const DrainRequest& v) {
    return {{"reason", to_string(v.reason)}, {"return_tasks", v.return_tasks}};
}

json to_json(const DrainAnswer& v) {
    return {{"returned_tasks", v.returned_tasks}};
}

json to_json(const SignOffRequest& v) {
    return {{"reason", to_string(v.reason)}};
}

json to_json(const ErrorBody& v) {
    return {{"error", v.error}, {"code", v.code}};
}

// ---- from JSON ----

template <>
Result<RegisterRequest> from_json<RegisterRequest>(const json& j) {
    RegisterRequest v;
    JsonFields f(j, "RegisterRequest");
    f.required("name", v.name)
        .required("host", v.host)
        .required("cores", v.cores)
        .required("memory_mb", v.memory_mb)
        .defaulted("gpus", v.gpus)
        .required("blender_version", v.blender_version)
        .defaulted("tags", v.tags);
    f.check(!v.name.empty(), "name", "must not be empty")
        .check(v.cores >= 1, "cores", "must be at least 1")
        .check(v.memory_mb >= 0, "memory_mb", "must not be negative");
    return read_result(f, std::move(v));
}

template <>
Result<Registration> from_json<Registration>(const json& j) {
    Registration v;
    JsonFields f(j, "Registration");
    f.required("id", v.id)
        .required("secret", v.secret)
        .required("lease_seconds", v.lease_seconds)
        .required("heartbeat_seconds", v.heartbeat_seconds);
    f.check(v.id >= 1, "id", "must be at least 1")
        .check(!v.secret.empty(), "secret", "must not be empty")
        .check(v.lease_seconds >= 1, "lease_seconds", "must be at least 1")
        .check(v.heartbeat_seconds >= 1, "heartbeat_seconds", "must be at least 1");
    return read_result(f, std::move(v));
}

template <>
Result<ClaimRequest> from_json<ClaimRequest>(const json& j) {
    ClaimRequest v;
    JsonFields f(j, "ClaimRequest");
    f.optional("warm_job_id", v.warm_job_id);
    f.defaulted("refuse_scripts", v.refuse_scripts);
    return read_result(f, std::move(v));
}

template <>
Result<JobSettings> from_json<JobSettings>(const json& j) {
    return parse_job_settings(j, "JobSettings");
}

template <>
Result<Assignment> from_json<Assignment>(const json& j) {
    Assignment v;
    JsonFields f(j, "Assignment");
    f.required("task_id", v.task_id)
        .required("attempt_id", v.attempt_id)
        .required("job_id", v.job_id)
        .required_with("frames", v.frames, parse_frames_field)
        .required("lease_seconds", v.lease_seconds)
        .required_with("job", v.job, parse_job_settings);
    f.check(v.task_id >= 1, "task_id", "must be at least 1")
        .check(v.attempt_id >= 1, "attempt_id", "must be at least 1")
        .check(v.job_id >= 1, "job_id", "must be at least 1")
        .check(v.lease_seconds >= 1, "lease_seconds", "must be at least 1");
    return read_result(f, std::move(v));
}

template <>
Result<TaskAttempt> from_json<TaskAttempt>(const json& j) {
    TaskAttempt v;
    JsonFields f(j, "Assignment");
    f.required("task_id", v.task_id).required("attempt_id", v.attempt_id);
    f.check(v.task_id >= 1, "task_id", "must be at least 1")
        .check(v.attempt_id >= 1, "attempt_id", "must be at least 1");
    return read_result(f, std::move(v));
}

template <>
Result<ProgressReport> from_json<ProgressReport>(const json& j) {
    ProgressReport v;
    JsonFields f(j, "ProgressReport");
    f.required("worker_id", v.worker_id)
        .required("attempt_id", v.attempt_id)
        .required("frame", v.frame)
        .required("sample", v.sample)
        .required("samples_total", v.samples_total)
        .defaulted("log", v.log);
    f.check(v.sample >= 0, "sample", "must not be negative")
        .check(v.samples_total >= 0, "samples_total", "must not be negative");
    return read_result(f, std::move(v));
}

template <>
Result<ProgressAnswer> from_json<ProgressAnswer>(const json& j) {
    ProgressAnswer v;
    JsonFields f(j, "ProgressAnswer");
    f.required_with("action", v.action, parse_action).required("lease_seconds", v.lease_seconds);
    f.check(v.lease_seconds >= 0, "lease_seconds", "must not be negative");
    return read_result(f, std::move(v));
}

template <>
Result<FrameReport> from_json<FrameReport>(const json& j) {
    auto frames = parse_frame_results(json::array({j}), "FrameReport");
    if (!frames) return frames.error();
    return frames->front();
}

template <>
Result<CompleteReport> from_json<CompleteReport>(const json& j) {
    CompleteReport v;
    JsonFields f(j, "CompleteReport");
    f.required("worker_id", v.worker_id)
        .required("attempt_id", v.attempt_id)
        .required_with("frames", v.frames, parse_frame_results);
    f.check(!v.frames.empty(), "frames", "must name at least one frame");
    return read_result(f, std::move(v));
}

template <>
Result<FailReport> from_json<FailReport>(const json& j) {
    FailReport v;
    JsonFields f(j, "FailReport");
    f.required("worker_id", v.worker_id)
        .required("attempt_id", v.attempt_id)
        .required("error", v.error)
        .defaulted("log_tail", v.log_tail)
        .optional_with("frames", v.frames, parse_frame_results);
    f.check(!v.error.empty(), "error", "must say what went wrong");
    return read_result(f, std::move(v));
}

template <>
Result<ReleaseReport> from_json<ReleaseReport>(const json& j) {
    ReleaseReport v;
    JsonFields f(j, "ReleaseReport");
    f.required("worker_id", v.worker_id)
        .required("attempt_id", v.attempt_id)
        .required_with("reason", v.reason, parse_leave_reason)
        .required_with("frames", v.frames, parse_frame_results);
    return read_result(f, std::move(v));
}

template <>
Result<DrainRequest> from_json<DrainRequest>(const json& j) {
    DrainRequest v;
    JsonFields f(j, "DrainRequest");
    f.required_with("reason", v.reason, parse_leave_reason)
        .defaulted("return_tasks", v.return_tasks);
    return read_result(f, std::move(v));
}

template <>
Result<DrainAnswer> from_json<DrainAnswer>(const json& j) {
    DrainAnswer v;
    JsonFields f(j, "DrainAnswer");
    f.required_with("returned_tasks", v.returned_tasks, parse_ids);
    return read_result(f, std::move(v));
}

template <>
Result<SignOffRequest> from_json<SignOffRequest>(const json& j) {
    SignOffRequest v;
    JsonFields f(j, "SignOffRequest");
    f.required_with("reason", v.reason, parse_leave_reason);
    return read_result(f, std::move(v));
}

template <>
Result<ErrorBody> from_json<ErrorBody>(const json& j) {
    ErrorBody v;
    JsonFields f(j, "ErrorBody");
    f.required("error", v.error).defaulted("code", v.code);
    return read_result(f, std::move(v));
}

template <class T>
Result<T> parse_body(std::string_view text) {
    auto j = util::parse_json_text(text, "JSON body");
    if (!j) return j.error();
    return from_json<T>(*j);
}

template <class T>
std::string to_body(const T& value) {
    // Text from Blender or the OS is made UTF-8 where it enters; should a byte slip through, it
    // becomes U+FFFD here rather than an exception that ends the caller.
    return to_json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

#define SPOTFARM_WIRE_STRUCT(T)                              \
    template Result<T> parse_body<T>(std::string_view text); \
    template std::string to_body<T>(const T& value);
SPOTFARM_WIRE_STRUCT(RegisterRequest)
SPOTFARM_WIRE_STRUCT(Registration)
SPOTFARM_WIRE_STRUCT(ClaimRequest)
SPOTFARM_WIRE_STRUCT(JobSettings)
SPOTFARM_WIRE_STRUCT(Assignment)
SPOTFARM_WIRE_STRUCT(ProgressReport)
SPOTFARM_WIRE_STRUCT(ProgressAnswer)
SPOTFARM_WIRE_STRUCT(FrameReport)
SPOTFARM_WIRE_STRUCT(CompleteReport)
SPOTFARM_WIRE_STRUCT(FailReport)
SPOTFARM_WIRE_STRUCT(ReleaseReport)
SPOTFARM_WIRE_STRUCT(DrainRequest)
SPOTFARM_WIRE_STRUCT(DrainAnswer)
SPOTFARM_WIRE_STRUCT(SignOffRequest)
SPOTFARM_WIRE_STRUCT(ErrorBody)
SPOTFARM_WIRE_STRUCT(MissingRequest)
SPOTFARM_WIRE_STRUCT(MissingAnswer)
SPOTFARM_WIRE_STRUCT(BatchAnswer)
SPOTFARM_WIRE_STRUCT(FrameFiles)
#undef SPOTFARM_WIRE_STRUCT
template Result<TaskAttempt> parse_body<TaskAttempt>(std::string_view text);

}  // namespace spotfarm::protocol
