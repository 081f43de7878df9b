#include "manager/state_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/file_mode.h"

namespace spotfarm::manager {

namespace fs = std::filesystem;

namespace {

fs::path lock_path(const fs::path& state_dir) {
    return state_dir / "manager.lock";
}

// The pid the lock file names, read through an fd that is already open.
std::optional<pid_t> read_pid(int fd) {
    char text[32] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    if (n <= 0) return std::nullopt;
    const long pid = std::strtol(text, nullptr, 10);
    if (pid <= 0) return std::nullopt;
    return static_cast<pid_t>(pid);
}

}  // namespace

util::Result<StateLock> StateLock::acquire(const fs::path& state_dir) {
    // The folder holds tokens and the farm's database: only its owner may look in, also when
    // something made it before the manager did (a render makes its output folder first) or a
    // umask widened it.
    std::error_code ec;
    if (state_dir.has_parent_path()) fs::create_directories(state_dir.parent_path(), ec);
    ::mkdir(state_dir.c_str(), 0700);
    if (auto closed = util::restrict_mode(state_dir, 0700); !closed) return closed.error();
    const fs::path path = lock_path(state_dir);
    util::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd) {
        return util::make_error("cannot open " + path.string() + ": " + std::strerror(errno),
                                util::ErrorKind::storage);
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            return util::make_error("cannot lock " + path.string() + ": " + std::strerror(errno),
                                    util::ErrorKind::storage);
        }
        const auto pid = read_pid(fd.get());
        return util::make_error("another spotfarm" +
                                    (pid ? " (pid " + std::to_string(*pid) + ")" : std::string()) +
                                    " is running on the state folder " + state_dir.string(),
                                util::ErrorKind::conflict);
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), pid.data(), pid.size(), 0) < 0) {
        return util::make_error("cannot write " + path.string() + ": " + std::strerror(errno),
                                util::ErrorKind::storage);
    }
    return StateLock(std::move(fd));
}

std::optional<pid_t> StateLock::holder(const fs::path& state_dir) {
    util::UniqueFd fd(::open(lock_path(state_dir).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    // A shared lock taken at once means nobody holds the exclusive one.
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) return std::nullopt;
    return read_pid(fd.get());
}

}  // namespace spotfarm::manager
