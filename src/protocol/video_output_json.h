#pragma once
// core::VideoOutput on the wire: the "video" object of a job's settings.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/video_output.h"
#include "util/result.h"

namespace spotfarm::protocol {

nlohmann::json to_json(const core::VideoOutput& v);

// The error names the field under `where` ("JobSettings.video.fps must be ...").
util::Result<core::VideoOutput> parse_video_output(const nlohmann::json& j,
                                                   const std::string& where);

}  // namespace spotfarm::protocol
