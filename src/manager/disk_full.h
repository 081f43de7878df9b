#pragma once
// A full disk on the manager (ENOSPC, EDQUOT): a storage error that the routes answer with
// 507 disk_full, so a client keeps what it sent and retries later, resuming.

#include <filesystem>

#include "util/result.h"

namespace spotfarm::manager {

// Whether `error_number` means the disk (or the user's quota) is full.
bool is_disk_full_errno(int error_number);
// The error for a write into `folder` that found the disk full: kind storage, naming the folder
// and what to do.
util::Error disk_full_error(const std::filesystem::path& folder, int error_number);
// Whether `error` is one disk_full_error made, or a storage error whose cause is a full disk.
bool is_disk_full(const util::Error& error);

}  // namespace spotfarm::manager
