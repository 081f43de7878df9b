#pragma once
// Where Blender would have written a scene's video and frames, from the job's output pattern.

#include <string>
#include <string_view>

namespace spotfarm::media {

// Blender's movie name: the last run of '#' becomes "first-last" padded to the run's length
// (with no '#', "0001-0250" is appended), then the container's extension:
// ("/r/shot_####", 1, 6, ".mp4") -> "/r/shot_0001-0006.mp4".
std::string movie_path(std::string_view pattern, int first, int last, std::string_view extension);

// A frame's file under the pattern, as the worker names it: ("/r/f_##", 7, ".png") ->
// "/r/f_07.png".
std::string frame_file_path(std::string_view pattern, int frame, std::string_view extension);

}  // namespace spotfarm::media
