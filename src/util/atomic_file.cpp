#include "util/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace spotfarm::util {

namespace {

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    int get() const { return m_fd; }
    // Closes now, so that a failed close is seen (it can report a failed write-back).
    int close() {
        int rc = ::close(m_fd);
        m_fd = -1;
        return rc;
    }

private:
    int m_fd;
};

Error os_error(std::string_view what, const std::filesystem::path& path) {
    return make_error(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Status sync_directory(const std::filesystem::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return os_error("cannot open folder", dir);
    if (::fsync(fd.get()) != 0) return os_error("cannot sync folder", dir);
    return {};
}

Status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             mode_t mode) {
    static std::atomic<unsigned> counter{0};
    std::filesystem::path tmp = path;
    tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);

    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) return os_error("cannot create", tmp);
    auto fail = [&](std::string_view what) {
        Error error = os_error(what, tmp);
        ::unlink(tmp.c_str());
        return error;
    };
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("cannot write");
        written += std::size_t(n);
    }
    if (::fsync(fd.get()) != 0) return fail("cannot sync");
    if (fd.close() != 0) return fail("cannot close");
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename into place");
    std::filesystem::path dir = path.parent_path();
    return sync_directory(dir.empty() ? std::filesystem::path(".") : dir);
}

}  // namespace spotfarm::util
