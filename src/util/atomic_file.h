#pragma once
// Files that are either wholly old or wholly new, even across a crash or a power cut.

#include <filesystem>
#include <string_view>

#include <sys/types.h>

#include "util/result.h"

namespace spotfarm::util {

// Writes `content` to a temporary file beside `path`, fsyncs it, renames it over `path` and
// fsyncs the folder, so that once this returns success the file survives a crash whole.
Status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             mode_t mode = 0644);

// fsyncs a folder, so that a rename or unlink in it is durable.
Status sync_directory(const std::filesystem::path& dir);

}  // namespace spotfarm::util
