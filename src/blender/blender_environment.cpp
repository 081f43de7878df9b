#include "blender/blender_environment.h"

#include <unistd.h>  // environ
#include <algorithm>
#include <array>

namespace spotfarm::blender {

namespace {

// Where programs, libraries and the user's files are; language; time zone; temporary files;
// a display for a Blender that needs one.
constexpr std::array<std::string_view, 16> k_names = {
    "PATH", "HOME",     "USER",       "LOGNAME",         "SHELL",
    "LANG", "LANGUAGE", "TZ",         "TMPDIR",          "TMP",
    "TEMP", "DISPLAY",  "XAUTHORITY", "WAYLAND_DISPLAY", "LD_LIBRARY_PATH",
    "OCIO",
};

// Families: locale and XDG folders; GPU runtimes (CUDA, OptiX, HIP/ROCm, oneAPI, Vulkan, Mesa);
// thread pools; Blender's and Cycles' own settings; colour management.
constexpr std::array<std::string_view, 22> k_prefixes = {
    "LC_",    "XDG_",  "CUDA_", "NVIDIA_",  "__NV_",   "__GL_", "OPTIX_", "HIP_",
    "HSA_",   "ROCM_", "GPU_",  "ONEAPI_",  "SYCL_",   "ZE_",   "VK_",    "MESA_",
    "LIBGL_", "OMP_",  "TBB_",  "BLENDER_", "CYCLES_", "OCIO_",
};

}  // namespace

bool passed_to_blender(std::string_view name) {
    if (std::find(k_names.begin(), k_names.end(), name) != k_names.end()) return true;
    return std::any_of(k_prefixes.begin(), k_prefixes.end(),
                       [&](std::string_view prefix) { return name.starts_with(prefix); });
}

Environment blender_environment(const std::vector<std::string>& parent) {
    Environment env;
    for (const auto& entry : parent) {
        const auto equals = entry.find('=');
        if (equals == std::string::npos || equals == 0) continue;
        std::string name = entry.substr(0, equals);
        if (passed_to_blender(name)) env.emplace_back(std::move(name), entry.substr(equals + 1));
    }
    return env;
}

Environment blender_environment() {
    std::vector<std::string> parent;
    for (char** e = environ; e && *e; ++e) parent.emplace_back(*e);
    return blender_environment(parent);
}

}  // namespace spotfarm::blender
