#include "manager/routes/job_media.h"

#include <nlohmann/json.hpp>

#include "manager/routes/job_trees.h"
#include "media/ffmpeg_options.h"
#include "media/movie_path.h"
#include "protocol/video_output_json.h"

namespace spotfarm::manager::routes {

namespace fs = std::filesystem;

namespace {

// What the job asks of the media work, kept in its settings beside what workers read.
core::JobMedia media_of(const core::Job& job) {
    auto text = nlohmann::json::parse(job.settings, nullptr, false);
    if (text.is_discarded()) return {};
    auto media = protocol::parse_job_media(text, "the job's settings");
    return media ? *media : core::JobMedia{};
}

}  // namespace

std::optional<fs::path> job_video_path(ApiContext& ctx, const core::Job& job) {
    const core::JobSettings& settings = settings_of(ctx, job);
    const core::JobMedia m = media_of(job);
    if (!m.video || !settings.output || job.frames.frames().empty()) return std::nullopt;
    auto container = media::container_for(m.video->container);
    if (!container) return std::nullopt;
    const auto& frames = job.frames.frames();
    const std::string name =
        media::movie_path(*settings.output, frames.front(), frames.back(), container->extension);
    if (!settings.tree) return fs::path(name);
    return ctx.outputs / ("job-" + job.id.to_string()) / name;
}

util::Result<bool> queue_job_media(ApiContext& ctx, core::JobId id, MediaAsk ask) {
    const core::Job* job = ctx.farm.scheduler().find_job(id);
    if (job == nullptr) {
        return util::make_error("no job " + id.to_string(), util::ErrorKind::not_found);
    }
    if (!ctx.media) return util::make_error("this manager makes no media", util::ErrorKind::failed);
    const core::JobSettings& settings = settings_of(ctx, *job);
    const core::JobMedia m = media_of(*job);
    MediaWork work;
    work.job = id;
    work.frames = job->frames.frames();
    if (ask == MediaAsk::completed) {
        work.video = m.video;
        if (auto path = job_video_path(ctx, *job)) work.video_output = *path;
        work.preview = m.preview.value_or(work.frames.size() > 1);
    } else {
        work.preview = true;
    }
    if (!work.video && !work.preview) return false;
    work.frame_rate = m.video
                          ? media::frame_rate_text(m.video->fps, m.video->fps_base)
                          : media::frame_rate_text(m.fps.value_or(24), m.fps_base.value_or(1.0));
    if (settings.tree) {
        auto rows = ctx.farm.frame_files(id);
        if (!rows) return rows.error();
        const fs::path folder = ctx.outputs / ("job-" + id.to_string());
        for (const auto& row : *rows) work.files.push_back({row.frame, folder / row.name});
    } else {
        work.pattern = settings.output.value_or("");
    }
    return ctx.media->enqueue(std::move(work));
}

}  // namespace spotfarm::manager::routes
