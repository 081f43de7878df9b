#pragma once
// Blender's FFMPEG output settings (core::VideoOutput) as ffmpeg command-line options, chosen so
// the video reads back as the one Blender would have written: same container, codec, quality
// and frame rate.

#include <string>
#include <vector>

#include "core/video_output.h"
#include "util/result.h"

namespace spotfarm::media {

// A Blender container (ffmpeg.format) as ffmpeg's muxer and the extension Blender gives it.
struct Container {
    std::string muxer;      // "mp4", "matroska", ...
    std::string extension;  // ".mp4", ".mkv", ...
};

// An error (invalid) names the containers there are.
util::Result<Container> container_for(const std::string& blender_format);

// A Blender codec (ffmpeg.codec) as ffmpeg's encoder: "H264" -> "libx264".
util::Result<std::string> encoder_for(const std::string& blender_codec);

// Blender's constant_rate_factor as the CRF its encoder gets: "MEDIUM" -> 23. -1 for NONE (the
// bitrate rules) and for names Blender does not have.
int crf_for(const std::string& blender_quality);

// Blender's ffmpeg_preset as x264/x265's -preset: "GOOD" -> "medium" (empty for unknown names).
std::string x264_preset_for(const std::string& blender_speed);

// fps / fps_base as the exact rational ffmpeg takes: (24, 1.0) -> "24/1",
// (30, 1.001) -> "30000/1001".
std::string frame_rate_text(int fps, double fps_base);

// The options after the inputs, up to (not including) the output path: -c:v, quality, pixel
// format, keyframes, -an and -f. An error when the container or codec is unknown.
util::Result<std::vector<std::string>> output_options(const core::VideoOutput& video);

}  // namespace spotfarm::media
