#include "cli/common/scene_video.h"

#include "blender/blender_install.h"
#include "blender/scene_output.h"

namespace spotfarm::cli {

util::Result<core::JobMedia> check_scene_video(const RenderFlags& flags,
                                               const core::JobSettings& settings,
                                               std::ostream& notes) {
    core::JobMedia media;
    if (flags.preview) media.preview = *flags.preview == "on";
    auto found = blender::find_blender(blender::blender_search_from_env(flags.blender));
    if (!found) {
        notes << "note: no Blender on this machine to read the scene's output before submitting ("
              << found.error().message
              << "); a scene saved with a video output still renders its frames, but the "
                 "manager makes no video of them\n";
        return media;
    }
    blender::BlenderLaunch launch;
    launch.blender = *found;
    launch.scene_file = settings.scene;
    launch.allow_scripts = settings.allow_scripts.value_or(false);
    auto output = blender::read_scene_output(launch, settings.scene_name.value_or(""),
                                             settings.engine.value_or(""),
                                             settings.format.value_or(""), std::chrono::minutes(3));
    if (!output) {
        // The workers' Blender may read what this one cannot (a newer file, another engine):
        // they have the last word, as before this check.
        notes << "note: could not read the scene's output with " << found->string() << ": "
              << output.error().message
              << "; a scene saved with a video output still renders its frames, but the "
                 "manager makes no video of them\n";
        return media;
    }
    media.video = output->video;
    media.fps = output->fps;
    media.fps_base = output->fps_base;
    if (output->video) {
        for (const auto& n : output->notes) notes << "note: " << n << "\n";
    }
    return media;
}

}  // namespace spotfarm::cli
