#include "util/fd_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

namespace spotfarm::util {

namespace {

std::uint64_t count_of(rlim_t value) {
    return value == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max()
                                  : static_cast<std::uint64_t>(value);
}

}  // namespace

Result<FdLimit> fd_limit() {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return make_error(std::string("cannot read the open-file limit: ") + std::strerror(errno));
    }
    return FdLimit{count_of(limit.rlim_cur), count_of(limit.rlim_max)};
}

Result<FdLimit> raise_fd_limit() {
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return make_error(std::string("cannot read the open-file limit: ") + std::strerror(errno));
    }
    if (limit.rlim_cur != limit.rlim_max) {
        struct rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
            return make_error("cannot raise the open-file limit from " +
                              std::to_string(limit.rlim_cur) + " to " +
                              std::to_string(limit.rlim_max) + ": " + std::strerror(errno));
        }
    }
    return fd_limit();
}

}  // namespace spotfarm::util
