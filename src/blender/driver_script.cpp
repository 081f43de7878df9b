#include "blender/driver_script.h"

#include <string>

#include "blender/private_temp_file.h"

namespace spotfarm::blender {

util::Result<DriverScript> DriverScript::write() {
    // Each part calls the functions of the parts before it, so they come in this order.
    std::string script = std::string(k_driver_dependencies_py) + "\n" +
                         std::string(k_driver_remap_py) + "\n" + std::string(k_driver_py);
    auto file = write_private_temp_file("driver", ".py", script, "Blender's driver script");
    if (!file) return file.error();
    return DriverScript(std::move(*file));
}

}  // namespace spotfarm::blender
