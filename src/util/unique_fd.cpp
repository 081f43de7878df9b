#include "util/unique_fd.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace spotfarm::util {

namespace {
Error errno_error(const char* what) { return make_error(std::string(what) + ": " + std::strerror(errno)); }
}  // namespace

void UniqueFd::reset(int fd) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
}

Result<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return errno_error("cannot create a pipe");
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Status set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        return errno_error("cannot make a pipe non-blocking");
    }
    return {};
}

Status write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n > 0) {
            data.remove_prefix(static_cast<size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd, POLLOUT, 0};
            ::poll(&p, 1, 1000);
        } else {
            return errno_error("cannot write to a pipe");
        }
    }
    return {};
}

Result<std::vector<bool>> wait_readable(std::span<const int> fds, std::chrono::milliseconds timeout) {
    std::vector<pollfd> polled;
    polled.reserve(fds.size());
    for (int fd : fds) polled.push_back(pollfd{fd, POLLIN, 0});  // poll ignores negative fds
    std::vector<bool> ready(fds.size(), false);
    int ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, timeout.count()));
    int n = ::poll(polled.data(), polled.size(), ms);
    if (n < 0) {
        if (errno == EINTR) return ready;
        return errno_error("poll failed");
    }
    for (size_t i = 0; i < polled.size(); ++i) {
        ready[i] = fds[i] >= 0 && (polled[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    }
    return ready;
}

}  // namespace spotfarm::util
