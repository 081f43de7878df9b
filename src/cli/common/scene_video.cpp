#include "cli/common/scene_video.h"

#include "blender/blender_install.h"
#include "blender/scene_output.h"

namespace spotfarm::cli {

util::Status check_scene_video(const RenderFlags& flags, core::JobSettings& settings,
                               std::ostream& notes, bool need_blender) {
    auto found = blender::find_blender(blender::blender_search_from_env(flags.blender));
    if (!found) {
        if (need_blender) return found.error();
        notes << "note: no Blender on this machine to read the scene's output before submitting ("
              << found.error().message
              << "); a scene saved with a video output still renders its frames, but the "
                 "manager makes no video of them\n";
        return {};
    }
    blender::SessionOptions session;
    session.launch.blender = *found;
    session.launch.scene_file = settings.scene;
    session.launch.allow_scripts = settings.allow_scripts.value_or(false);
    session.render.scene = settings.scene_name.value_or("");
    session.render.engine = settings.engine.value_or("");
    session.render.format = settings.format.value_or("");
    auto output = blender::read_scene_output(session);
    if (!output) {
        return util::make_error("the scene cannot be rendered as asked: " + output.error().message,
                                output.error().kind);
    }
    settings.video = output->video;
    settings.fps = output->fps;
    settings.fps_base = output->fps_base;
    if (output->video) {
        for (const auto& w : output->warnings) notes << "note: " << w << "\n";
    }
    return {};
}

}  // namespace spotfarm::cli
