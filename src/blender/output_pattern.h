#pragma once
// Output paths: the user's -o turned into Blender's frame pattern, and the file one frame lands in.

#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::blender {

// The user's -o as Blender's pattern. A path ending in '/' (or '\'), or naming a directory that
// exists, gets "####" appended ("renders/" -> "renders/####"); a path with no '#' at all gets
// "####" appended, as Blender itself does ("shot_" -> "shot_####"). Fails on an empty path, on
// one containing "..", and on a run of more than 9 '#'.
util::Result<std::string> normalize_output_pattern(std::string_view user_output);

// The path of one frame: the LAST run of '#' replaced by the frame number zero-padded to the
// run's length (wider numbers are not truncated), then `extension` (e.g. ".png") appended.
// A pattern without '#' gets the number padded to 4 digits appended, as Blender does.
std::string frame_path(std::string_view pattern, int frame, std::string_view extension);

// The file extension Blender writes for an image format (case-insensitive): ".png" for PNG,
// ".jpg" JPEG, ".exr" OPEN_EXR and OPEN_EXR_MULTILAYER, ".tif" TIFF. Fails on other formats,
// listing the supported ones.
util::Result<std::string> extension_for_format(std::string_view format);

}  // namespace spotfarm::blender
