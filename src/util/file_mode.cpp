#include "util/file_mode.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/unique_fd.h"

namespace spotfarm::util {

namespace {

Error mode_error(const std::string& doing, const std::filesystem::path& path) {
    return make_error("cannot " + doing + " " + path.string() + ": " + std::strerror(errno),
                      ErrorKind::storage);
}

Status restrict_fd(int fd, const std::filesystem::path& path, mode_t allowed) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) return mode_error("read the permissions of", path);
    const mode_t mode = info.st_mode & 07777;
    if ((mode & ~allowed) == 0) return {};
    if (::fchmod(fd, mode & allowed) != 0) return mode_error("restrict the permissions of", path);
    return {};
}

}  // namespace

Status restrict_mode(const std::filesystem::path& path, mode_t allowed) {
    // Through an fd, so that what is checked is what is changed.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return mode_error("open", path);
    return restrict_fd(fd.get(), path, allowed);
}

Status create_private_file(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return mode_error("create", path);
    return restrict_fd(fd.get(), path, 0600);
}

}  // namespace spotfarm::util
