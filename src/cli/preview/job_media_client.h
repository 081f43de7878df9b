#pragma once
// The client side of a job's media (docs/media.md): waiting while the manager makes the video
// and previews, and bringing their files here. Used by `spotfarm preview`, `render` and `sync`.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/client/api_client.h"
#include "util/result.h"

namespace spotfarm::cli {

// GET /jobs/{id}/preview, read.
struct JobMedia {
    std::string state;  // none, making, ready, failed
    bool busy = false;  // the manager is still making something for the job
    std::vector<std::string> files;
    std::string error;
    std::string note;
    std::optional<std::string> video;  // the scene's video, as the manager names it
    std::int64_t video_size = -1;      // -1: not made (yet)
};

// GET /jobs/{id}/preview. A 404 (no such job, or a manager that makes no media) is an error of
// kind not_found.
util::Result<JobMedia> job_media(ApiClient& api, std::int64_t job);

// Asks GET /jobs/{id}/preview every `interval` until the manager is no longer busy with the
// job, calling `tick(media, seconds)` after each answer. The last answer.
util::Result<JobMedia> wait_for_job_media(ApiClient& api, std::int64_t job,
                                          const std::function<void(const JobMedia&, double)>& tick,
                                          std::chrono::milliseconds interval,
                                          const std::function<bool()>& stop = {});

// GETs /api/v1/PATH (a job's file) into `dest`, written whole under a temporary name and then
// renamed. The bytes written.
util::Result<std::int64_t> download_job_file(ApiClient& api, const std::string& path,
                                             const std::filesystem::path& dest);

}  // namespace spotfarm::cli
