#pragma once
// Reading a whole (small) text file, with an error a person can act on.

#include <cstddef>
#include <filesystem>
#include <string>

#include "util/result.h"

namespace spotfarm::util {

// The file's contents; fails if it cannot be read or is larger than `max_bytes`.
Result<std::string> read_text_file(const std::filesystem::path& path,
                                   std::size_t max_bytes = 16 * 1024 * 1024);

}  // namespace spotfarm::util
