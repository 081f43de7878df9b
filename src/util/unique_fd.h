#pragma once
// File descriptors with one owner, and the few fd operations subprocess pipes need.

#include <chrono>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace spotfarm::util {

// Owns one file descriptor and closes it when it goes away.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    explicit operator bool() const { return valid(); }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// Both ends of a pipe; both close-on-exec, so a child only gets what it is handed explicitly.
struct Pipe {
    UniqueFd read;
    UniqueFd write;
};
Result<Pipe> make_pipe();

Status set_nonblocking(int fd);

// Writes all of `data`, retrying on EINTR and short writes; waits when the fd is non-blocking.
Status write_all(int fd, std::string_view data);

// Waits up to `timeout` until any of `fds` is readable (or hung up). Returns one flag per fd;
// all false on timeout or when a signal interrupted the wait. Negative fds are skipped.
Result<std::vector<bool>> wait_readable(std::span<const int> fds,
                                        std::chrono::milliseconds timeout);

}  // namespace spotfarm::util
