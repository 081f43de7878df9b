#pragma once
// The limit on open files. Linux starts processes with a soft limit of 1024 and a hard limit that
// is often far higher; a manager holds one descriptor per connected worker and client, so it
// asks for all it may have.

#include <cstdint>

#include "util/result.h"

namespace spotfarm::util {

struct FdLimit {
    std::uint64_t soft = 0;  // in force now
    std::uint64_t hard = 0;  // the most the soft limit may be raised to
};

// The limits in force now.
Result<FdLimit> fd_limit();

// Raises the soft limit on open files to the hard limit; returns the limits in force afterwards.
Result<FdLimit> raise_fd_limit();

}  // namespace spotfarm::util
