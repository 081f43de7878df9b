#pragma once
// Permissions of files and folders that hold secrets, set by this program rather than left to
// the umask or to whoever made them first.

#include <sys/types.h>

#include <filesystem>

#include "util/result.h"

namespace spotfarm::util {

// Takes from `path` (a file or folder) every permission bit outside `allowed` (0700: the owner's
// only); changes nothing when it has none. An error when it cannot be read or changed.
Status restrict_mode(const std::filesystem::path& path, mode_t allowed);

// Makes `path` an empty file of mode 0600 unless it exists; either way it ends up with no
// permission for others than its owner. For files another library creates with its own mode.
Status create_private_file(const std::filesystem::path& path);

}  // namespace spotfarm::util
