// The frames of transfer jobs (docs/transfer.md): the worker holding an attempt uploads each
// frame to the manager's output store; people list and download them.
#include <charconv>
#include <filesystem>
#include <memory>
#include <set>

#include "manager/disk_full.h"
#include "manager/file_range.h"
#include "manager/routes/byte_range.h"
#include "manager/routes/disk_work.h"
#include "manager/routes/frame_uploads.h"
#include "manager/routes/job_trees.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"
#include "protocol/transfer.h"
#include "util/atomic_file.h"
#include "util/file_hash.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;

constexpr std::size_t k_frame_body = std::size_t{2} << 30;
constexpr std::chrono::minutes k_frame_time{30};

std::optional<int> frame_number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::filesystem::path job_folder(const ApiContext& ctx, core::JobId job) {
    return ctx.outputs / ("job-" + job.to_string());
}

const core::Job* transfer_job_of(ApiContext& ctx, core::TaskId task) {
    const core::Task* t = ctx.farm.scheduler().find_task(task);
    if (t == nullptr) return nullptr;
    const core::Job* job = ctx.farm.scheduler().find_job(t->job);
    if (job == nullptr || !settings_of(ctx, *job).tree) return nullptr;
    return job;
}

// What writing a frame came to, on the disk pool.
struct FrameWrite {
    std::optional<Response> refusal;
    std::int64_t size = 0;
};

FrameWrite write_frame(const std::string& bytes, const std::string& sha256,
                       const std::filesystem::path& dest, bool held_already) {
    util::Sha256 digest;
    digest.update(bytes);
    if (const std::string actual = digest.hex_digest(); actual != sha256) {
        return {http::error_response(422, "hash_mismatch",
                                     "the frame's " + std::to_string(bytes.size()) +
                                         " bytes hash to " + actual + ", not " + sha256 +
                                         " as sent: nothing was written; send it again"),
                0};
    }
    const auto size = static_cast<std::int64_t>(bytes.size());
    std::error_code ec;
    // The same bytes again (a retry whose answer was lost): the file is in place already.
    if (held_already && static_cast<std::int64_t>(std::filesystem::file_size(dest, ec)) == size &&
        !ec) {
        return {std::nullopt, size};
    }
    std::filesystem::create_directories(dest.parent_path(), ec);
    if (auto written = util::write_file_atomic(dest, bytes, 0644, util::Durability::power_loss);
        !written) {
        util::Error error = written.error();
        error.kind = util::ErrorKind::storage;
        if (is_disk_full(error)) error = disk_full_error(dest.parent_path(), ENOSPC);
        return {error_answer(error), 0};
    }
    return {std::nullopt, size};
}

http::Reply put_frame(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("task", request.param("id"));
    const core::TaskId task_id(*id);
    auto frame = frame_number(request.param("frame"));
    if (!frame) {
        return bad_request("invalid_frame",
                           "'" + std::string(request.param("frame")) + "' is not a frame number");
    }
    auto attempt = query_count(request, "attempt", 0, std::int64_t{1} << 62);
    if (!attempt || *attempt == 0) {
        return bad_request("invalid_query", "give ?attempt=ID, the attempt the frame comes from");
    }
    auto name = request.query_value("name");
    if (!name) return bad_request("invalid_query", "give ?name=NAME, the frame's file name");
    if (auto ok = protocol::check_tree_path(*name); !ok) {
        return bad_request("invalid_name", "the frame's name: " + ok.error().message);
    }
    auto sha = request.header(protocol::k_sha256_header);
    if (!sha || !protocol::is_blob_hash(*sha)) {
        return bad_request("missing_sha256",
                           "give the frame's SHA-256 (64 lower-case hex digits) "
                           "in the " +
                               std::string(protocol::k_sha256_header) + " header");
    }
    auto held = ctx.farm.check_attempt(task_id, calling_worker(request), core::AttemptId(*attempt));
    if (!held) return error_answer(held.error());
    const core::Task* task = ctx.farm.scheduler().find_task(task_id);
    if (task == nullptr) return not_found_answer("task", request.param("id"));
    if (!task->frames.contains(*frame)) {
        return bad_request(
            "frame_not_in_task",
            "frame " + std::to_string(*frame) + " is not a frame of task " + task_id.to_string());
    }
    const core::Job* job = transfer_job_of(ctx, task_id);
    if (job == nullptr) {
        return http::error_response(409, "shared_mode",
                                    "task " + task_id.to_string() +
                                        " belongs to a shared-mode job: write its frames into "
                                        "the job's output folder, do not upload them");
    }
    auto existing = ctx.farm.frame_file(job->id, *frame);
    if (!existing) return error_answer(existing.error());
    store::FrameFileRow row{.job = job->id,
                            .frame = *frame,
                            .task = task_id,
                            .name = std::string(*name),
                            .size = 0,
                            .sha256 = std::string(*sha)};
    const bool held_already =
        *existing && (*existing)->name == row.name && (*existing)->sha256 == row.sha256;
    const std::filesystem::path dest = job_folder(ctx, job->id) / row.name;
    ctx.counters.transfer_bytes_up.fetch_add(request.body.size(), std::memory_order_relaxed);
    auto body = std::make_shared<std::string>(std::move(request.body));
    return on_disk_pool(
        ctx, request,
        [body, sha = row.sha256, dest, held_already] {
            return write_frame(*body, sha, dest, held_already);
        },
        [&ctx, row](FrameWrite&& written) mutable -> Response {
            if (written.refusal) return std::move(*written.refusal);
            row.size = written.size;
            if (auto saved = ctx.farm.record_frame_file(row); !saved) {
                return error_answer(saved.error());
            }
            return Response::json(protocol::to_json(protocol::FrameFile{
                .frame = row.frame, .name = row.name, .size = row.size, .hash = row.sha256}));
        });
}

std::optional<Response> unknown_job(ApiContext& ctx, const Request& request,
                                    std::optional<std::int64_t> id) {
    if (id && ctx.farm.scheduler().find_job(core::JobId(*id)) != nullptr) return std::nullopt;
    return not_found_answer("job", request.param("id"));
}

http::Reply list_frames(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (auto refused = unknown_job(ctx, request, id)) return *refused;
    auto rows = ctx.farm.frame_files(core::JobId(*id));
    if (!rows) return error_answer(rows.error());
    protocol::FrameFiles answer;
    for (const store::FrameFileRow& row : *rows) {
        answer.frames.push_back(
            {.frame = row.frame, .name = row.name, .size = row.size, .hash = row.sha256});
    }
    return Response::json(protocol::to_json(answer));
}

http::Reply get_frame(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (auto refused = unknown_job(ctx, request, id)) return *refused;
    auto frame = frame_number(request.param("frame"));
    if (!frame) {
        return bad_request("invalid_frame",
                           "'" + std::string(request.param("frame")) + "' is not a frame number");
    }
    auto row = ctx.farm.frame_file(core::JobId(*id), *frame);
    if (!row) return error_answer(row.error());
    if (!*row) {
        return http::error_response(404, "not_found",
                                    "frame " + std::to_string(*frame) + " of job " +
                                        std::to_string(*id) +
                                        " is not in the manager's output store (yet): GET "
                                        "/api/v1/jobs/" +
                                        std::to_string(*id) + "/frames lists those that are");
    }
    const std::filesystem::path file = job_folder(ctx, core::JobId(*id)) / (*row)->name;
    std::optional<std::string> range;
    if (auto header = request.header("Range")) range = std::string(*header);
    return on_disk_pool(ctx, request, [&ctx, file, range]() -> Response {
        std::error_code ec;
        const auto size = static_cast<std::int64_t>(std::filesystem::file_size(file, ec));
        if (ec) {
            return error_answer(
                util::make_error("the manager lost " + file.string() + " (" + ec.message() + ")",
                                 util::ErrorKind::storage));
        }
        const RangeAsk ask = ask_range(range, size);
        if (!ask.satisfiable) return ranged_answer(ask, size, {});
        auto bytes = read_file_range(file, ask.from, ask.length);
        if (!bytes) return error_answer(bytes.error());
        ctx.counters.transfer_bytes_down.fetch_add(bytes->size(), std::memory_order_relaxed);
        return ranged_answer(ask, size, std::move(bytes).value());
    });
}

}  // namespace

std::optional<http::Response> frames_not_uploaded(
    ApiContext& ctx, core::TaskId task, const std::vector<protocol::FrameReport>& reported) {
    const core::Job* job = transfer_job_of(ctx, task);
    if (job == nullptr) return std::nullopt;
    std::set<int> frames;
    for (const protocol::FrameReport& r : reported) frames.insert(r.frame);
    if (const core::Task* t = ctx.farm.scheduler().find_task(task)) {
        frames.insert(t->frames.frames().begin(), t->frames.frames().end());
    }
    for (int frame : frames) {
        auto row = ctx.farm.frame_file(job->id, frame);
        if (!row) return error_answer(row.error());
        if (*row) continue;
        return http::error_response(
            409, "frame_not_uploaded",
            "frame " + std::to_string(frame) + " of task " + task.to_string() +
                " is not in the manager's output store: upload it (PUT /api/v1/tasks/" +
                task.to_string() + "/frames/" + std::to_string(frame) +
                ") before reporting the task complete");
    }
    return std::nullopt;
}

std::vector<protocol::FrameReport> frames_held(ApiContext& ctx, core::TaskId task,
                                               std::vector<protocol::FrameReport> finished) {
    const core::Job* job = transfer_job_of(ctx, task);
    if (job == nullptr) return finished;
    std::erase_if(finished, [&](const protocol::FrameReport& r) {
        auto row = ctx.farm.frame_file(job->id, r.frame);
        return !row || !*row;
    });
    return finished;
}

void add_frame_routes(http::Router& router, ApiContext& ctx) {
    router.add("PUT", api_path("/tasks/{id}/frames/{frame}"), Access::any_worker(),
               with_context(ctx, put_frame),
               {.max_body_bytes = k_frame_body, .body_timeout = k_frame_time});
    router.add("GET", api_path("/jobs/{id}/frames"), Access::people(),
               with_context(ctx, list_frames));
    router.add("GET", api_path("/jobs/{id}/frames/{frame}"), Access::people(),
               with_context(ctx, get_frame));
}

}  // namespace spotfarm::manager::routes
