#pragma once
// Pictures of rendered frames for the dashboard, made by Debian's ffmpeg program (a child
// process, so the manager does not load an image library): a small JPEG thumbnail, and the full
// frame in a form browsers show (PNG and JPEG as they are; EXR, with the sRGB transfer curve, and
// TIFF converted to PNG). Blocking: call from the disk pool, never the io thread.

#include <filesystem>

#include "core/ids.h"
#include "util/result.h"

namespace spotfarm::manager::routes {

inline constexpr int k_thumbnail_width = 320;

// <thumbs>/job-<job>/<frame>.jpg and the converted full frame beside it (<frame>.png).
std::filesystem::path thumbnail_file(const std::filesystem::path& thumbs, core::JobId job,
                                     int frame);
std::filesystem::path converted_file(const std::filesystem::path& thumbs, core::JobId job,
                                     int frame);

// Whether a browser shows this file as it is (PNG, JPEG, WebP).
bool browser_shows(const std::filesystem::path& image);

// Writes a JPEG at most k_thumbnail_width wide of `image` to `dest` (atomically). An `unavailable`
// Error when ffmpeg is not installed, `failed` when it cannot read the image.
util::Status make_thumbnail(const std::filesystem::path& image, const std::filesystem::path& dest);
// Writes `image` as a PNG to `dest` (atomically), for a format browsers do not show.
util::Status make_png(const std::filesystem::path& image, const std::filesystem::path& dest);

}  // namespace spotfarm::manager::routes
