#pragma once
// What a scene writes, read by starting the driver on it once: whether it is saved with a video
// output (which the farm renders as frames and encodes at the end) and the warnings of set-up.

#include <optional>
#include <string>
#include <vector>

#include "blender/session.h"
#include "core/video_output.h"
#include "util/result.h"

namespace spotfarm::blender {

struct SceneOutput {
    std::string format;                      // what frames are written as, e.g. PNG
    std::optional<core::VideoOutput> video;  // the scene's saved video; none: it writes images
    std::vector<std::string> warnings;       // the driver's, the video note among them
    int fps = 24;                            // the frame rate is fps / fps_base
    double fps_base = 1.0;
};

// Starts Blender on options.launch.scene_file with options.render (format included), reads the
// driver's ready reply and quits. Costs one Blender start and scene load; renders nothing.
util::Result<SceneOutput> read_scene_output(const SessionOptions& options);

}  // namespace spotfarm::blender
