#pragma once
// How to render a job: the settings a person gives (flags of exec, render, submit, estimate),
// the manager keeps with the job and sends to every worker with its frames.

#include <optional>
#include <string>

namespace spotfarm::core {

// How to render a job; an unset field means "as the scene says".
struct JobSettings {
    std::string scene;
    std::optional<std::string> output;
    std::optional<std::string> format;
    std::optional<std::string> engine;
    std::optional<std::string> device;  // "cpu", "gpu" or a backend such as "OPTIX"
    std::optional<int> samples;
    std::optional<int> resolution_x;
    std::optional<int> resolution_y;
    std::optional<int> percentage;
    std::optional<int> threads;
    std::optional<std::string> scene_name;
    std::optional<bool> allow_scripts;
    std::optional<bool> strict;
    std::optional<double> frame_timeout_s;
    std::optional<double> stall_timeout_s;
    // Transfer mode (docs/transfer.md): the SHA-256 of the job's tree, a blob the manager keeps
    // that lists every file of the job by relative path and hash. Then `scene` is a path inside
    // that tree and `output` a pattern inside the job's output store on the manager. Unset: the
    // shared mode, where scene and output are paths every worker sees.
    std::optional<std::string> tree;

    bool operator==(const JobSettings&) const = default;
};

}  // namespace spotfarm::core
