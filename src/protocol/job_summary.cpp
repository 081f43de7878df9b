#include "protocol/job_summary.h"

#include <charconv>

#include "protocol/summary_fields.h"
#include "util/json_fields.h"

namespace spotfarm::protocol {

using nlohmann::json;
using util::JsonFields;
using util::Result;

namespace {

Result<core::JobStatus> read_job_status(const json& j, const std::string& where) {
    return detail::read_name(j, where, core::parse_job_status, "a job status");
}

Result<json> read_settings(const json& j, const std::string& where) {
    if (!j.is_object())
        return util::make_error(where + " must be an object, not " + util::json_kind(j));
    return j;
}

// {"3": 2}: failed tasks by worker; JSON keys are text, so the ids are written as text.
Result<std::map<std::int64_t, int>> read_worker_failures(const json& j, const std::string& where) {
    if (!j.is_object()) {
        return util::make_error(where + " must be an object of counts by worker id, not " +
                                util::json_kind(j));
    }
    std::map<std::int64_t, int> failures;
    for (const auto& [key, value] : j.items()) {
        std::int64_t id = 0;
        auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
        if (ec != std::errc() || end != key.data() + key.size() || id < 1) {
            return util::make_error(where + " must be keyed by worker id, not \"" + key + "\"");
        }
        int count = 0;
        if (util::json_detail::read_value(value, count) || count < 0) {
            return util::make_error(where + "." + key + " must be a count from 0");
        }
        failures[id] = count;
    }
    return failures;
}

// [{"message": "...", "frames": "1-24"}, ...]
Result<std::vector<JobWarning>> read_warnings(const json& j, const std::string& where) {
    if (!j.is_array())
        return util::make_error(where + " must be a list, not " + util::json_kind(j));
    std::vector<JobWarning> warnings;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        JobWarning w;
        std::string frames;
        JsonFields f(j[i], at);
        f.required("message", w.message).required("frames", frames);
        if (!f.ok()) return f.status().error();
        auto set = core::FrameSet::parse(frames);
        if (!set) return util::make_error(at + ".frames: " + set.error().message);
        w.frames = std::move(*set);
        warnings.push_back(std::move(w));
    }
    return warnings;
}

// The fields of a summary, which a detail carries at its own top level.
void read_summary(JsonFields& f, JobSummary& v) {
    f.required("id", v.id)
        .required("name", v.name)
        .required_with("status", v.status, read_job_status)
        .required("priority", v.priority)
        .required("created_ms", v.created_ms)
        .required("frames", v.frames)
        .required("frame_count", v.frame_count)
        .required("chunk", v.chunk)
        .required("scene", v.scene)
        .required("output", v.output)
        .required("message", v.message)
        .required_with("tasks", v.tasks, detail::read_task_counts);
    f.check(v.id >= 1, "id", "must be at least 1")
        .check(v.created_ms >= 0, "created_ms", "must not be negative")
        .check(v.frame_count >= 0, "frame_count", "must not be negative")
        .check(v.chunk >= 1, "chunk", "must be at least 1");
}

Result<JobSummary> read_job_summary(const json& j, const std::string& where) {
    JobSummary v;
    JsonFields f(j, where);
    read_summary(f, v);
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace

json to_json(const JobSummary& v) {
    return {{"id", v.id},
            {"name", v.name},
            {"status", core::to_string(v.status)},
            {"priority", v.priority},
            {"created_ms", v.created_ms},
            {"frames", v.frames},
            {"frame_count", v.frame_count},
            {"chunk", v.chunk},
            {"scene", v.scene},
            {"output", v.output},
            {"message", v.message},
            {"tasks", detail::by_task_status(v.tasks, [](std::int64_t n) { return n; })}};
}

json to_json(const JobDetail& v) {
    json out = to_json(v.summary);
    out["settings"] = v.settings;
    out["frames_by_status"] = detail::by_task_status(
        v.frames_by_status, [](const core::FrameSet& frames) { return frames.to_string(); });
    out["frames_done"] = v.frames_done;
    json failures = json::object();
    for (const auto& [worker, count] : v.worker_failures) failures[std::to_string(worker)] = count;
    out["worker_failures"] = std::move(failures);
    out["blocklisted"] = v.blocklisted;
    json warnings = json::array();
    for (const JobWarning& w : v.warnings)
        warnings.push_back({{"message", w.message}, {"frames", w.frames.to_string()}});
    out["warnings"] = std::move(warnings);
    return out;
}

json to_json(const JobList& v) {
    json jobs = json::array();
    for (const JobSummary& job : v.jobs) jobs.push_back(to_json(job));
    return {{"jobs", std::move(jobs)}};
}

template <>
Result<JobSummary> from_json<JobSummary>(const json& j) {
    return read_job_summary(j, "JobSummary");
}

template <>
Result<JobDetail> from_json<JobDetail>(const json& j) {
    JobDetail v;
    JsonFields f(j, "JobDetail");
    read_summary(f, v.summary);
    f.required_with("settings", v.settings, read_settings)
        .required_with("frames_by_status", v.frames_by_status, detail::read_task_frames)
        .required("frames_done", v.frames_done)
        .required_with("worker_failures", v.worker_failures, read_worker_failures)
        .required_with("blocklisted", v.blocklisted, detail::read_ids)
        .optional_with("warnings", v.warnings, read_warnings);
    f.check(v.frames_done >= 0, "frames_done", "must not be negative");
    if (!f.ok()) return f.status().error();
    return v;
}

template <>
Result<JobList> from_json<JobList>(const json& j) {
    JobList v;
    JsonFields f(j, "JobList");
    f.required_with("jobs", v.jobs, [](const json& list, const std::string& where) {
        return detail::read_list(list, where, "jobs", read_job_summary);
    });
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace spotfarm::protocol
