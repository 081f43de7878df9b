#include "manager/file_range.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/unique_fd.h"

namespace spotfarm::manager {

util::Result<std::string> read_file_range(const std::filesystem::path& file, std::int64_t from,
                                          std::int64_t max) {
    auto failed = [&](util::ErrorKind kind) {
        return util::make_error("cannot read " + file.string() + ": " + std::strerror(errno), kind);
    };
    util::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return failed(errno == ENOENT ? util::ErrorKind::not_found : util::ErrorKind::storage);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return failed(util::ErrorKind::storage);
    const std::int64_t size = st.st_size;
    const std::int64_t length =
        std::clamp<std::int64_t>(size - from, 0, std::max<std::int64_t>(0, max));
    std::string bytes(static_cast<std::size_t>(length), '\0');
    std::int64_t done = 0;
    while (done < length) {
        const ssize_t n =
            ::pread(fd.get(), bytes.data() + done, static_cast<std::size_t>(length - done),
                    static_cast<off_t>(from + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failed(util::ErrorKind::storage);
        if (n == 0) break;
        done += n;
    }
    bytes.resize(static_cast<std::size_t>(done));
    return bytes;
}

}  // namespace spotfarm::manager
