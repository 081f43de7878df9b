// /api/v1/jobs/{id}/preview and its files (people token): a job's preview video (MP4 and WebM)
// and contact sheet, made when the job completes or when asked (docs/media.md), and the scene's
// own video encoded from the frames. Videos are served with Range, as browsers seek with it.
#include <nlohmann/json.hpp>

#include "manager/file_range.h"
#include "manager/routes/byte_range.h"
#include "manager/routes/disk_work.h"
#include "manager/routes/job_media.h"
#include "manager/routes/job_trees.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"
#include "media/encode.h"

namespace spotfarm::manager::routes {
namespace {

namespace fs = std::filesystem;
using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

const core::Job* find_job(ApiContext& ctx, const Request& request) {
    auto id = path_id(request, "id");
    return id ? ctx.farm.scheduler().find_job(core::JobId(*id)) : nullptr;
}

std::int64_t size_of(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    return ec ? -1 : static_cast<std::int64_t>(size);
}

json preview_json(ApiContext& ctx, const core::Job& job) {
    const PreviewStatus status = ctx.media->preview(job.id);
    const std::string base = api_path("/jobs/" + job.id.to_string() + "/");
    json files = json::array();
    for (const auto& name : status.files) {
        files.push_back({{"name", name},
                         {"url", base + name},
                         {"size", size_of(ctx.media->folder(job.id) / name)}});
    }
    json answer = {{"job_id", job.id.value}, {"state", std::string(to_string(status.state))},
                   {"files", files},         {"error", status.error},
                   {"note", status.note},    {"busy", ctx.media->busy(job.id)},
                   {"video", nullptr}};
    if (auto video = job_video_path(ctx, job)) {
        const bool transfer = settings_of(ctx, job).tree.has_value();
        const fs::path shown =
            transfer ? video->lexically_relative(ctx.outputs / ("job-" + job.id.to_string()))
                     : *video;
        answer["video"] = {
            {"name", shown.string()}, {"size", size_of(*video)}, {"url", base + "video"}};
    }
    return answer;
}

http::Reply show_preview(ApiContext& ctx, Request& request) {
    const core::Job* job = find_job(ctx, request);
    if (job == nullptr) return not_found_answer("job", request.param("id"));
    return Response::json(preview_json(ctx, *job));
}

http::Reply make(ApiContext& ctx, Request& request) {
    const core::Job* job = find_job(ctx, request);
    if (job == nullptr) return not_found_answer("job", request.param("id"));
    auto queued = queue_job_media(ctx, job->id, MediaAsk::preview);
    if (!queued) return error_answer(queued.error());
    return Response::json(preview_json(ctx, *job), 202);
}

// A file answered with the Range asked for, read on the disk pool.
http::Reply serve_file(ApiContext& ctx, Request& request, fs::path file, std::string type) {
    std::optional<std::string> range;
    if (auto header = request.header("Range")) range = std::string(*header);
    return on_disk_pool(ctx, request, [file, range, type]() -> Response {
        const std::int64_t size = size_of(file);
        if (size < 0) {
            return http::error_response(404, "not_found",
                                        file.filename().string() +
                                            " is not made (yet): POST the job's /preview to "
                                            "make it, GET /preview says when it is ready");
        }
        const RangeAsk ask = ask_range(range, size);
        if (!ask.satisfiable) return ranged_answer(ask, size, {});
        auto bytes = read_file_range(file, ask.from, ask.length);
        if (!bytes) return error_answer(bytes.error());
        Response answer = ranged_answer(ask, size, std::move(bytes).value());
        answer.content_type = type;
        return answer;
    });
}

http::Handler preview_file(ApiContext& ctx, const char* name, const char* type) {
    return [&ctx, name, type](Request& request) -> http::Reply {
        const core::Job* job = find_job(ctx, request);
        if (job == nullptr) return not_found_answer("job", request.param("id"));
        if (ctx.media->preview(job->id).state != MediaState::ready) {
            return http::error_response(404, "not_found",
                                        "job " + job->id.to_string() +
                                            " has no preview yet: POST /api/v1/jobs/" +
                                            job->id.to_string() + "/preview makes one");
        }
        return serve_file(ctx, request, ctx.media->folder(job->id) / name, type);
    };
}

http::Reply video(ApiContext& ctx, Request& request) {
    const core::Job* job = find_job(ctx, request);
    if (job == nullptr) return not_found_answer("job", request.param("id"));
    auto path = job_video_path(ctx, *job);
    if (!path) {
        return http::error_response(
            404, "not_found", "job " + job->id.to_string() + "'s scene writes images, not a video");
    }
    return serve_file(ctx, request, *path, "application/octet-stream");
}

}  // namespace

void add_preview_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/jobs/{id}/preview"), Access::people(),
               with_context(ctx, show_preview));
    router.add("POST", api_path("/jobs/{id}/preview"), Access::people(), with_context(ctx, make));
    router.add("GET", api_path("/jobs/{id}/preview.mp4"), Access::people(),
               preview_file(ctx, media::k_preview_mp4, "video/mp4"));
    router.add("GET", api_path("/jobs/{id}/preview.webm"), Access::people(),
               preview_file(ctx, media::k_preview_webm, "video/webm"));
    router.add("GET", api_path("/jobs/{id}/contact-sheet.png"), Access::people(),
               preview_file(ctx, media::k_contact_sheet, "image/png"));
    router.add("GET", api_path("/jobs/{id}/video"), Access::people(), with_context(ctx, video));
}

}  // namespace spotfarm::manager::routes
