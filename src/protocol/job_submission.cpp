#include "protocol/job_submission.h"

#include <nlohmann/json.hpp>

#include "core/job.h"
#include "util/json_fields.h"

namespace spotfarm::protocol {

namespace {

using nlohmann::json;

// A frame set such as "1-250", or one frame as a number (what a script most often sends).
util::Result<core::FrameSet> parse_job_frames(const json& j, const std::string& where) {
    std::string text;
    if (j.is_number_integer()) {
        text = std::to_string(j.get<std::int64_t>());
    } else if (j.is_string()) {
        text = j.get<std::string>();
    } else {
        return util::make_error(where + " must be a frame set such as \"1-250\", not " +
                                util::json_kind(j));
    }
    auto frames = core::FrameSet::parse(text);
    if (!frames) return util::make_error(where + " '" + text + "': " + frames.error().message);
    return frames;
}

}  // namespace

json to_json(const JobSubmission& v) {
    json j = to_json(v.settings);
    j["frames"] = v.frames.to_string();
    if (!v.name.empty()) j["name"] = v.name;
    if (v.chunk) j["chunk"] = *v.chunk;
    if (v.priority) j["priority"] = *v.priority;
    return j;
}

template <>
util::Result<JobSubmission> from_json<JobSubmission>(const json& j) {
    if (!j.is_object()) {
        return util::make_error("JobSubmission must be a JSON object, not " + util::json_kind(j));
    }
    auto settings = from_json<core::JobSettings>(j);
    if (!settings) return settings.error();
    JobSubmission v;
    v.settings = std::move(settings).value();
    std::string output;
    util::JsonFields f(j, "JobSubmission");
    f.defaulted("name", v.name)
        .required_with("frames", v.frames, parse_job_frames)
        .required("output", output)
        .optional("chunk", v.chunk)
        .optional("priority", v.priority);
    auto within = [](const std::optional<int>& x, int lo, int hi) {
        return !x || (*x >= lo && *x <= hi);
    };
    f.check(!output.empty(), "output", "must not be empty")
        .check(within(v.chunk, 1, k_max_chunk), "chunk",
               "must be from 1 to " + std::to_string(k_max_chunk) +
                   " (no worker takes a task of more frames)")
        .check(within(v.priority, core::k_min_priority, core::k_max_priority), "priority",
               "must be from " + std::to_string(core::k_min_priority) + " to " +
                   std::to_string(core::k_max_priority));
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace spotfarm::protocol
