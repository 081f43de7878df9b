#pragma once
// Render options as people type them, checked and turned into what Blender and the driver take.
// Every error names the bad value and the accepted ones (code 2: bad input).

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::blender {

struct Resolution {
    int width = 0;
    int height = 0;
};

// "1920x1080" (or "1920X1080"); each side 1..65536.
util::Result<Resolution> parse_resolution(std::string_view text);

// cycles, eevee, workbench (any case) or Blender's names (CYCLES, BLENDER_EEVEE,
// BLENDER_EEVEE_NEXT, BLENDER_WORKBENCH) -> Blender's name.
util::Result<std::string> normalize_engine(std::string_view engine);

// cpu, gpu, auto (lower case) or a backend in any case: OPTIX, CUDA, HIP, ONEAPI, METAL.
util::Result<std::string> normalize_device(std::string_view device);

// PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER, TIFF in any case; also png, jpg, exr, tif.
util::Result<std::string> normalize_format(std::string_view format);

// The user's -o as an absolute Blender pattern: "//" at the start means the .blend's folder,
// other relative paths are taken from `cwd`; then normalize_output_pattern's rules (a folder
// gets "####").
util::Result<std::string> resolve_output_pattern(std::string_view user_output,
                                                 const std::filesystem::path& scene_file,
                                                 const std::filesystem::path& cwd);

}  // namespace spotfarm::blender
