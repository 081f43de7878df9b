// GET /api/v1/jobs/{id}/frames/{frame}/thumbnail and /image: a finished frame for the dashboard,
// small (JPEG, at most 320 px wide) or whole (PNG or JPEG as rendered, other formats as PNG).
// The frame is read where the manager sees it: the output path its worker reported (shared
// mode) or the manager's own output store (transfer mode).
#include "manager/routes/thumbnails.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "manager/routes/disk_work.h"
#include "manager/routes/frame_images.h"
#include "manager/routes/job_trees.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

namespace fs = std::filesystem;
using http::Access;
using http::Request;
using http::Response;

constexpr std::size_t k_max_pending = 32;

std::optional<int> frame_number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Where the manager finds a finished frame, or why it cannot.
util::Result<fs::path> frame_source(ApiContext& ctx, const core::Job& job, int frame,
                                    std::string_view reported = {}) {
    if (settings_of(ctx, job).tree) {
        auto row = ctx.farm.frame_file(job.id, frame);
        if (!row) return row.error();
        if (!*row) {
            return util::make_error("frame " + std::to_string(frame) + " of job " +
                                        job.id.to_string() + " is not on the manager yet",
                                    util::ErrorKind::not_found);
        }
        return ctx.outputs / ("job-" + job.id.to_string()) / (*row)->name;
    }
    if (!reported.empty()) return fs::path(reported);
    for (const core::Task& task : ctx.farm.scheduler().tasks_of(job.id)) {
        if (!task.frames.contains(frame)) continue;
        if (task.status != core::TaskStatus::completed) break;
        auto detail = ctx.farm.show_task(task.id);
        if (!detail) return detail.error();
        for (auto a = detail->attempts.rbegin(); a != detail->attempts.rend(); ++a) {
            if (a->outcome != core::AttemptOutcome::completed) continue;
            for (const core::FrameResult& result : a->results) {
                if (result.frame == frame && !result.output.empty()) return fs::path(result.output);
            }
        }
    }
    return util::make_error(
        "frame " + std::to_string(frame) + " of job " + job.id.to_string() + " is not rendered yet",
        util::ErrorKind::not_found);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string image_type(const fs::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".png") return "image/png";
    if (ext == ".webp") return "image/webp";
    return "image/jpeg";
}

Response image_answer(const fs::path& path) {
    Response response = Response::text(read_file(path), image_type(path));
    // A frame rendered again gets a new picture: the page asks with ?v=ATTEMPTS.
    response.headers.emplace_back("Cache-Control", "private, max-age=3600");
    return response;
}

Response failure_answer(const util::Error& error) {
    if (error.kind == util::ErrorKind::unavailable) {
        return http::error_response(503, "ffmpeg_missing", error.message);
    }
    if (error.kind == util::ErrorKind::failed) {
        return http::error_response(422, "unreadable_frame", error.message);
    }
    return error_answer(error);
}

// The job and frame of the path, or the answer to give instead.
std::variant<std::pair<const core::Job*, int>, Response> job_frame(ApiContext& ctx,
                                                                   const Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    const core::Job* job = ctx.farm.scheduler().find_job(core::JobId(*id));
    if (job == nullptr) return not_found_answer("job", request.param("id"));
    auto frame = frame_number(request.param("frame"));
    if (!frame) {
        return bad_request("invalid_frame",
                           "'" + std::string(request.param("frame")) + "' is not a frame number");
    }
    return std::pair{job, *frame};
}

http::Reply thumbnail(ApiContext& ctx, Request& request) {
    auto found = job_frame(ctx, request);
    if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
    auto [job, frame] = std::get<std::pair<const core::Job*, int>>(found);
    const fs::path dest = thumbnail_file(ctx.thumbs, job->id, frame);
    std::error_code ec;
    if (!fs::exists(dest, ec)) {
        auto source = frame_source(ctx, *job, frame);
        if (!source) return error_answer(source.error());
        return on_disk_pool(ctx, request, [source = *source, dest] {
            if (auto made = make_thumbnail(source, dest); !made)
                return failure_answer(made.error());
            return image_answer(dest);
        });
    }
    return on_disk_pool(ctx, request, [dest] { return image_answer(dest); });
}

http::Reply image(ApiContext& ctx, Request& request) {
    auto found = job_frame(ctx, request);
    if (auto* answer = std::get_if<Response>(&found)) return std::move(*answer);
    auto [job, frame] = std::get<std::pair<const core::Job*, int>>(found);
    auto source = frame_source(ctx, *job, frame);
    if (!source) return error_answer(source.error());
    const fs::path converted = converted_file(ctx.thumbs, job->id, frame);
    return on_disk_pool(ctx, request, [source = *source, converted] {
        std::error_code ec;
        if (!fs::is_regular_file(source, ec)) {
            return http::error_response(404, "not_found",
                                        "the frame " + source.string() +
                                            " is not on the manager's disk (moved or deleted?)");
        }
        if (browser_shows(source)) return image_answer(source);
        if (!fs::exists(converted, ec)) {
            if (auto made = make_png(source, converted); !made) return failure_answer(made.error());
        }
        return image_answer(converted);
    });
}

}  // namespace

void make_thumbnails_of(ApiContext& ctx, const core::AttemptEnd& end) {
    if (end.outcome != core::AttemptOutcome::completed || ctx.thumbs.empty() || !ctx.disk) return;
    const core::Job* job = ctx.farm.scheduler().find_job(end.job);
    if (job == nullptr) return;
    for (const core::FrameResult& result : end.results) {
        if (ctx.thumbnails_pending >= k_max_pending) return;  // made when first asked for
        auto source = frame_source(ctx, *job, result.frame, result.output);
        if (!source) continue;
        ++ctx.thumbnails_pending;
        const fs::path dest = thumbnail_file(ctx.thumbs, end.job, result.frame);
        auto executor = ctx.disk_done;
        boost::asio::post(*ctx.disk, [&ctx, executor, source = *source, dest, job = end.job,
                                      frame = result.frame] {
            auto made = make_thumbnail(source, dest);
            if (!made) spdlog::warn("no thumbnail of frame {}: {}", frame, made.error().message);
            boost::asio::post(executor, [&ctx, ok = bool(made), job, frame] {
                --ctx.thumbnails_pending;
                if (ok) ctx.feed.on_thumbnail(job, frame);
            });
        });
    }
}

void add_thumbnail_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/jobs/{id}/frames/{frame}/thumbnail"), Access::people(),
               with_context(ctx, thumbnail));
    router.add("GET", api_path("/jobs/{id}/frames/{frame}/image"), Access::people(),
               with_context(ctx, image));
}

}  // namespace spotfarm::manager::routes
