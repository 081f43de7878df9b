#pragma once
// The path of the running program, to start more of itself (workers, a manager), and the files
// that ship beside it.

#include <filesystem>
#include <string_view>

namespace spotfarm::util {

// /proc/self/exe resolved; "spotfarm" (looked up on PATH) where it cannot be read.
std::filesystem::path self_executable();

// The frame-check module (blender/frame_decoder.h): workers load it from beside the program, the
// manager serves it to cloud workers, the user-data installs it there.
inline constexpr std::string_view k_frame_check_file = "spotfarm_frame_check.so";

}  // namespace spotfarm::util
