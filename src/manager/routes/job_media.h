#pragma once
// The media of a job (docs/media.md): what the manager makes when the job completes (the scene's
// own video, the previews) and what a person asks for (POST /jobs/{id}/preview).

#include <optional>
#include <string>

#include "core/ids.h"
#include "manager/routes/api_context.h"

namespace spotfarm::manager::routes {

// What to make of a job.
enum class MediaAsk {
    completed,  // the job just completed: its video when the scene has one, previews when wanted
    preview,    // previews now, asked by a person
};

// Gathers the job's frames and queues the work on ctx.media (io thread). An error when the job
// is unknown or has no frames on disk to speak of; false when it was queued already.
util::Result<bool> queue_job_media(ApiContext& ctx, core::JobId job, MediaAsk ask);

// Where the encoded video of a job is (or will be): beside the frames in shared mode, in the
// job's outputs in transfer mode. None when the job's scene writes no video.
std::optional<std::filesystem::path> job_video_path(ApiContext& ctx, const core::Job& job);

}  // namespace spotfarm::manager::routes
