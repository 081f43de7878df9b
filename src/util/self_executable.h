#pragma once
// The path of the running program, to start more of itself (workers, a manager).

#include <filesystem>

namespace spotfarm::util {

// /proc/self/exe resolved; "spotfarm" (looked up on PATH) where it cannot be read.
std::filesystem::path self_executable();

}  // namespace spotfarm::util
