#include "util/text_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

namespace spotfarm::util {

Result<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return make_error(fmt::format("cannot read {}: it is a folder, not a file", path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    }
    std::string text;
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes) {
            return make_error(fmt::format("cannot read {}: it is larger than {} bytes",
                                          path.string(), max_bytes));
        }
    }
    if (in.bad()) {
        return make_error(fmt::format("cannot read {}: read error", path.string()));
    }
    return text;
}

}  // namespace spotfarm::util
