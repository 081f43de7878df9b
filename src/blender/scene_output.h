#pragma once
// What a scene writes, read by starting Blender on it once with the driver's "scene_output"
// mode (no frame rendered): whether it is saved with a video output, which the farm renders as
// frames and the manager encodes at the end, and the scene's frame rate.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "blender/command_line.h"
#include "core/video_output.h"
#include "util/result.h"

namespace spotfarm::blender {

struct SceneOutput {
    std::string format;                      // what frames are written as, e.g. PNG
    std::optional<core::VideoOutput> video;  // the scene's saved video; none: it writes images
    int fps = 24;                            // the frame rate is fps / fps_base
    double fps_base = 1.0;
    std::vector<std::string> notes;  // the driver's, the video note among them
};

// `scene`, `engine`, `format`: as the job asks (empty: as saved). An error (invalid) when the
// scene cannot be set up so, (unavailable) when Blender cannot run.
util::Result<SceneOutput> read_scene_output(const BlenderLaunch& launch, const std::string& scene,
                                            const std::string& engine, const std::string& format,
                                            std::chrono::milliseconds timeout);

// The SPOTFARM_SCENE_OUTPUT line of the driver's output, read.
util::Result<SceneOutput> parse_scene_output(const std::string& output);

}  // namespace spotfarm::blender
