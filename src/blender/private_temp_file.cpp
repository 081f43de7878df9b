#include "blender/private_temp_file.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/unique_fd.h"

namespace spotfarm::blender {

util::Result<util::TempFile> write_private_temp_file(std::string_view stem, std::string_view suffix,
                                                     std::string_view content,
                                                     const std::string& what) {
    std::string pattern = std::filesystem::temp_directory_path() /
                          ("spotfarm-" + std::string(stem) + "-XXXXXX" + std::string(suffix));
    // mkstemps creates the file O_EXCL with mode 0600, so nobody else can swap its content.
    util::UniqueFd fd(::mkstemps(pattern.data(), static_cast<int>(suffix.size())));
    if (!fd) {
        return util::make_error("cannot write " + what + " to " + pattern + ": " +
                                std::strerror(errno) + " (set TMPDIR to a writable folder)");
    }
    util::TempFile file{std::filesystem::path(pattern)};
    if (auto st = util::write_all(fd.get(), content); !st) {
        return util::make_error("cannot write " + what + ": " + st.error().message);
    }
    return file;
}

}  // namespace spotfarm::blender
