#pragma once
// Up-front checks of the files a command will read and the folder it will write, so bad input
// fails at once with a clear message rather than after Blender has started.

#include <filesystem>
#include <string>

#include "util/result.h"

namespace spotfarm::util {

// `path` is a regular file this process can read. `what` names it in the error ("scene file").
Status check_readable_file(const std::filesystem::path& path, const std::string& what);

// Creates `dir` (and its parents) if needed and proves that a file can be created in it.
Status ensure_writable_folder(const std::filesystem::path& dir, const std::string& what);

}  // namespace spotfarm::util
