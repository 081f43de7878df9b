#pragma once
// Reading part of a file, for the ranged GETs of blobs and frames.

#include <cstdint>
#include <filesystem>
#include <string>

#include "util/result.h"

namespace spotfarm::manager {

// At most `max` bytes of `file` from byte `from` (fewer at its end, none past it). not_found
// when there is no such file, storage when it cannot be read.
util::Result<std::string> read_file_range(const std::filesystem::path& file, std::int64_t from,
                                          std::int64_t max);

}  // namespace spotfarm::manager
