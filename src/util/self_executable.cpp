#include "util/self_executable.h"

namespace spotfarm::util {

std::filesystem::path self_executable() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path("spotfarm") : path;
}

}  // namespace spotfarm::util
