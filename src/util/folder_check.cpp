#include "util/folder_check.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/atomic_file.h"
#include "util/unique_fd.h"

namespace spotfarm::util {

namespace fs = std::filesystem;

Status check_readable_file(const fs::path& path, const std::string& what) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!fs::exists(status))
        return make_error(what + " not found: " + path.string(), util::ErrorKind::invalid);
    if (fs::is_directory(status)) {
        return make_error(what + " " + path.string() + " is a folder, not a file",
                          util::ErrorKind::invalid);
    }
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return make_error("cannot read " + what + " " + path.string() + ": " + std::strerror(errno),
                          util::ErrorKind::invalid);
    }
    return {};
}

Status ensure_writable_folder(const fs::path& dir, const std::string& what) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error("cannot create " + what + " " + dir.string() + ": " + ec.message(),
                          util::ErrorKind::invalid);
    }
    if (!fs::is_directory(dir, ec)) {
        return make_error(what + " " + dir.string() + " is not a folder", util::ErrorKind::invalid);
    }
    // access(W_OK) says yes to root even on read-only mounts: really create a file.
    fs::path probe = temp_path_for(dir / "write-check");
    UniqueFd fd(::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) {
        return make_error(
            "cannot write in " + what + " " + dir.string() + ": " + std::strerror(errno),
            util::ErrorKind::invalid);
    }
    fd.reset();
    ::unlink(probe.c_str());
    return {};
}

}  // namespace spotfarm::util
