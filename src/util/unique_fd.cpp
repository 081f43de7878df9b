#include "util/unique_fd.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace spotfarm::util {

namespace {
Error errno_error(const char* what) {
    return make_error(std::string(what) + ": " + std::strerror(errno));
}
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

namespace {
// Blocks SIGPIPE in this thread while it lives, so writing to a pipe whose reader is gone fails
// with EPIPE instead of killing the process; a SIGPIPE raised meanwhile is consumed, not left
// pending. Process-wide signal settings stay as they are.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    ~SigpipeBlock() { pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }
    void consume() {
        if (m_was_pending) return;
        timespec zero{};
        while (sigtimedwait(&m_pipe, nullptr, &zero) == SIGPIPE) {
        }
    }

private:
    sigset_t m_pipe;
    sigset_t m_old;
    bool m_was_pending = false;
};
}  // namespace

Status write_all(int fd, std::string_view data) {
    SigpipeBlock no_sigpipe;
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
            int error = errno;
            if (error == EPIPE) no_sigpipe.consume();
            errno = error;
            return errno_error("cannot write to a pipe");
        }
    }
    return {};
}

Result<std::vector<bool>> wait_readable(std::span<const int> fds,
                                        std::chrono::milliseconds timeout) {
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
