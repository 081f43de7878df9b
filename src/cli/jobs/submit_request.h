#pragma once
// The body of POST /jobs for `spotfarm submit`, checked on this machine first so that a typo is
// caught before it reaches the farm and fails there on every worker.

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "util/result.h"

namespace spotfarm::cli {

// As typed; empty strings and unset optionals are "not given" and mean "as the scene says" or
// "the manager's default".
struct SubmitArgs {
    std::string scene;
    std::string frames;
    std::string output;
    std::optional<int> chunk;
    std::optional<int> priority;
    std::string name;
    std::string device;  // cpu, gpu, auto or a backend: OPTIX, CUDA, HIP, ONEAPI, METAL
    std::string engine;  // cycles, eevee, workbench or Blender's engine names
    std::string format;  // PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER, TIFF
    std::optional<int> samples;
    std::string resolution;  // "1920x1080"
    std::optional<int> percentage;
    std::optional<int> threads;
    std::optional<double> frame_timeout_s;
    std::optional<double> stall_timeout_s;
    bool allow_scripts = false;
    bool strict = false;
};

// The job spec as manager/farm_json's job_spec_from_json reads it, with the worker's render
// settings (docs/protocol.md JobSettings) beside it. Relative paths are taken from `cwd`; an
// output starting with "//" is taken from the scene's folder, as Blender does. The scene must be
// an existing file; frames, output pattern and every setting are checked. Errors have code 2.
util::Result<nlohmann::json> build_submit_body(const SubmitArgs& args,
                                               const std::filesystem::path& cwd);

}  // namespace spotfarm::cli
