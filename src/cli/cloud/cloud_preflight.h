#pragma once
// What `render --cloud` checks on the laptop before the first instance starts, so that a scene
// that cannot render costs a second here instead of instance hours there: the Blender version
// the workers will run against the one that saved the scene, the output format, the engine and
// the GPU backend against the instance type, and the scene's missing files. Pure: the caller
// reads the .blend header and lists the files (blender/blend_header.h, blender/dependency_list.h).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blender/blend_header.h"
#include "blender/dependency_list.h"
#include "util/result.h"

namespace spotfarm::cli {

// "4.2" or "4.2.3": the Blender release asked for by --blender-version.
struct BlenderRelease {
    int major = 0;
    int minor = 0;
    std::optional<int> patch;
    std::string text() const;
};
util::Result<BlenderRelease> parse_blender_release(std::string_view text);

// The GPUs an EC2 instance type carries, by family: "nvidia" (g4dn, g5, g6, p3...), "amd"
// (g4ad), or "" for none.
std::string instance_gpu_vendor(std::string_view instance_type);

struct PreflightInput {
    blender::BlendFileVersion scene;          // who saved the scene
    std::optional<BlenderRelease> requested;  // --blender-version
    std::optional<std::string> format;        // --format, when given
    std::optional<std::string> engine;        // --engine, when given
    std::optional<std::string> device;        // --device: cpu, gpu, auto, OPTIX, CUDA...
    std::string instance_type;                // the workers' type
    std::vector<blender::Dependency> dependencies;
    bool allow_missing = false;
};

struct PreflightPlan {
    BlenderRelease blender;  // what the workers will run
    std::string device;      // the device the job asks for ("" when the scene decides)
};

// The oldest Blender the workers' driver runs in.
inline constexpr BlenderRelease k_oldest_blender{2, 93, std::nullopt};

// The plan, or one error (kind invalid) that lists every problem found, each with what to do.
util::Result<PreflightPlan> preflight(const PreflightInput& input);

}  // namespace spotfarm::cli
