#pragma once
// Which Blender runs, and what it can do: found from --blender, then $SPOTFARM_BLENDER, then PATH;
// its version from `blender --version`; its engines and GPU backends from a probe in Blender.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace spotfarm::blender {

// Where to look, in order. Empty strings are skipped.
struct BlenderSearch {
    std::string explicit_path;  // --blender PATH
    std::string env_value;      // $SPOTFARM_BLENDER
    std::string path_env;       // $PATH
};

// The search the process environment gives, with `explicit_path` from the command line.
BlenderSearch blender_search_from_env(std::string explicit_path);

// The Blender executable. When none is found the error (code 3) says how to get one.
util::Result<std::filesystem::path> find_blender(const BlenderSearch& search);

struct BlenderVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string text;  // as Blender prints it, e.g. "3.4.1" or "4.2.0 LTS"
    bool at_least(int ma, int mi) const { return major > ma || (major == ma && minor >= mi); }
};

// The version in `blender --version` output ("Blender 4.2.1 LTS" on its first line).
std::optional<BlenderVersion> parse_blender_version(std::string_view output);

// Runs `blender -b --factory-startup --version`.
util::Result<BlenderVersion> read_blender_version(
    const std::filesystem::path& blender,
    std::chrono::milliseconds timeout = std::chrono::seconds(60));

struct GpuBackend {
    std::string type;                  // CUDA, OPTIX, HIP, ONEAPI, METAL
    std::vector<std::string> devices;  // devices that backend found; empty when none
};

struct BlenderCapabilities {
    std::string version;
    std::string python_version;
    std::vector<std::string> engines;  // CYCLES, BLENDER_EEVEE, BLENDER_WORKBENCH, add-on engines
    std::vector<GpuBackend> gpu_backends;
};

// Reads the "SPOTFARM_PROBE {json}" line the driver prints in probe mode.
util::Result<BlenderCapabilities> parse_probe_output(std::string_view output);

// Starts Blender with the driver in probe mode.
util::Result<BlenderCapabilities> probe_blender(
    const std::filesystem::path& blender,
    std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace spotfarm::blender
