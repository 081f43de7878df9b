#pragma once
// core::VideoOutput and core::JobMedia on the wire: "video", "preview", "fps" and "fps_base",
// fields of a job's flat settings object (POST /jobs and what the manager keeps).

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/video_output.h"
#include "util/result.h"

namespace spotfarm::protocol {

nlohmann::json to_json(const core::VideoOutput& v);

// The error names the field under `where` ("JobSettings.video.fps must be ...").
util::Result<core::VideoOutput> parse_video_output(const nlohmann::json& j,
                                                   const std::string& where);

// The fields of `media` that are set, to merge into a job's settings object.
nlohmann::json to_json(const core::JobMedia& media);

// Those fields of a job's settings object (others are not looked at); an error names the field.
util::Result<core::JobMedia> parse_job_media(const nlohmann::json& settings,
                                             const std::string& where);

}  // namespace spotfarm::protocol
