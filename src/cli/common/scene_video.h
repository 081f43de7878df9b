#pragma once
// The check that submit and render make before a job starts: a scene saved with a video output
// (FFMPEG) renders its frames as images, and the job carries the video's settings so the manager
// encodes the video when the job completes (docs/media.md).

#include <ostream>

#include "cli/common/render_flags.h"
#include "core/job_settings.h"
#include "util/result.h"

namespace spotfarm::cli {

// Reads the scene's output with Blender on this machine (flags.blender, $SPOTFARM_BLENDER,
// PATH). A video scene gets settings.video and a note on `notes`. Without Blender here the
// check is skipped with a note, unless `need_blender` (then an error of kind unavailable). A
// scene Blender cannot set up (no such scene, engine or format) is an error before any upload.
util::Status check_scene_video(const RenderFlags& flags, core::JobSettings& settings,
                               std::ostream& notes, bool need_blender);

}  // namespace spotfarm::cli
