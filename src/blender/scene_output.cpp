#include "blender/scene_output.h"

namespace spotfarm::blender {

util::Result<SceneOutput> read_scene_output(const SessionOptions& options) {
    SessionOptions o = options;
    // Nothing is rendered: missing files and GPUs are the render's business, not this check's.
    o.strict = false;
    o.render.device = "cpu";
    o.restart_every = 0;
    o.max_memory_mb = 0;
    Session session(std::move(o));
    auto info = session.start();
    session.stop();
    if (!info) return info.error();
    return SceneOutput{info->format, info->video, info->warnings, info->fps, info->fps_base};
}

}  // namespace spotfarm::blender
