#include "blender/driver_script.h"

#include <string>

#include "blender/private_temp_file.h"

namespace spotfarm::blender {

util::Result<DriverScript> DriverScript::write() {
    // driver.py calls the functions of driver_files.py, so those come first in the one script.
    std::string script = std::string(k_driver_files_py) + "\n" + std::string(k_driver_py);
    auto file = write_private_temp_file("driver", ".py", script, "Blender's driver script");
    if (!file) return file.error();
    return DriverScript(std::move(*file));
}

}  // namespace spotfarm::blender
