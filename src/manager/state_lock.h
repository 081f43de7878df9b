#pragma once
// One manager at a time on a state folder: an exclusive flock(2) on STATE/manager.lock, a file
// that also names the holder's pid for the message the next one prints. The kernel drops the lock
// when its holder dies, however it dies, so a killed manager never leaves a stale lock behind and
// the same command run again simply takes it.

#include <sys/types.h>

#include <filesystem>
#include <optional>

#include "util/result.h"
#include "util/unique_fd.h"

namespace spotfarm::manager {

class StateLock {
public:
    // Takes the lock of `state_dir` (made if missing). Fails with ErrorKind::conflict, naming
    // the pid that holds it, when another process has it.
    static util::Result<StateLock> acquire(const std::filesystem::path& state_dir);

    // The pid written in the lock file of `state_dir` by the process that holds it, if any
    // process holds it now; for commands that want to say who is running.
    static std::optional<pid_t> holder(const std::filesystem::path& state_dir);

private:
    explicit StateLock(util::UniqueFd fd) : m_fd(std::move(fd)) {}
    util::UniqueFd m_fd;  // close-on-exec: a child must not keep the lock after we are gone
};

}  // namespace spotfarm::manager
