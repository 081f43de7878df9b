#include "blender/driver_script.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/unique_fd.h"

namespace spotfarm::blender {

util::Result<DriverScript> DriverScript::write() {
    std::string pattern = (std::filesystem::temp_directory_path() / "spotfarm-driver-XXXXXX.py");
    // mkstemps creates the file O_EXCL with mode 0600, so nobody else can swap its content.
    util::UniqueFd fd(::mkstemps(pattern.data(), 3));
    if (!fd) {
        return util::make_error("cannot write Blender's driver script to " + pattern + ": " +
                                std::strerror(errno) + " (set TMPDIR to a writable folder)");
    }
    DriverScript script{std::filesystem::path(pattern)};
    if (auto st = util::write_all(fd.get(), k_driver_py); !st) {
        return util::make_error("cannot write Blender's driver script: " + st.error().message);
    }
    return script;
}

}  // namespace spotfarm::blender
