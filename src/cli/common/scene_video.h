#pragma once
// The check that submit and render make before a job starts: a scene saved with a video output
// (FFMPEG) renders its frames as images, and the job carries the video's settings so the manager
// encodes the video when the job completes (docs/media.md).

#include <ostream>

#include "cli/common/render_flags.h"
#include "core/job_settings.h"
#include "core/video_output.h"
#include "util/result.h"

namespace spotfarm::cli {

// Reads the scene's output with Blender on this machine (flags.blender, $SPOTFARM_BLENDER,
// PATH): the job's media (its video, the scene's frame rate, --preview), with a note on `notes`
// for a video scene. Without Blender here, or when it cannot read the scene as asked, the check
// is skipped with a note: the workers' Blender still has the last word.
util::Result<core::JobMedia> check_scene_video(const RenderFlags& flags,
                                               const core::JobSettings& settings,
                                               std::ostream& notes);

}  // namespace spotfarm::cli
