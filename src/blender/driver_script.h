#pragma once
// The driver script (src/blender/driver_dependencies.py, driver_remap.py, then driver.py) is
// compiled into the binary; Blender needs it as a file, so each user of it writes a private copy
// that is removed when done.

#include <filesystem>
#include <string_view>

#include "util/atomic_file.h"
#include "util/result.h"

namespace spotfarm::blender {

extern const std::string_view k_driver_py;
extern const std::string_view k_driver_dependencies_py;
extern const std::string_view k_driver_remap_py;

// A private copy of the driver (mode 0600, a fresh random name in the temp folder).
class DriverScript {
public:
    static util::Result<DriverScript> write();
    const std::filesystem::path& path() const { return m_file.path(); }

private:
    explicit DriverScript(util::TempFile file) : m_file(std::move(file)) {}
    util::TempFile m_file;
};

}  // namespace spotfarm::blender
