#pragma once
// Running Debian's ffmpeg program: found as $SPOTFARM_FFMPEG or on PATH, its errors kept short.

#include <chrono>
#include <string>
#include <vector>

#include "util/result.h"

namespace spotfarm::media {

// The ffmpeg to run: $SPOTFARM_FFMPEG, else "ffmpeg" (looked up on PATH).
std::string ffmpeg_program();

// Runs ffmpeg with `args` (after the program name). An error carries ffmpeg's last lines of
// output; unavailable when ffmpeg is not installed.
util::Status run_ffmpeg(const std::vector<std::string>& args, std::chrono::seconds timeout);

}  // namespace spotfarm::media
