#include "util/parent_death.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace spotfarm::util {

Status die_with_parent_from_environment() {
    const char* text = std::getenv(std::string(k_parent_pid_variable).c_str());
    if (text == nullptr || *text == '\0') return {};
    char* end = nullptr;
    const long parent = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || parent <= 1) {
        return make_error(std::string(k_parent_pid_variable) + "='" + text + "' is not a pid",
                          ErrorKind::invalid);
    }
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        return make_error(std::string("cannot follow the parent process: ") + std::strerror(errno));
    }
    // The parent may have died between our start and the prctl: then we were re-parented already
    // and the signal will never come.
    if (::getppid() != static_cast<pid_t>(parent)) {
        return make_error(
            "the process that started this one (pid " + std::to_string(parent) + ") has ended",
            ErrorKind::unavailable);
    }
    return {};
}

}  // namespace spotfarm::util
