// /api/v1/jobs: people submit, list, show and steer jobs (people token). A transfer job
// (settings.tree) is accepted once every file of its tree is on the manager.
#include "core/task_status.h"
#include "manager/farm_json.h"
#include "manager/routes/disk_work.h"
#include "manager/routes/job_trees.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"
#include "protocol/job_submission.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

// Puts the checked job on the farm: the 201 answer with the job, or the refusal.
Response accept_job(ApiContext& ctx, core::JobSpec spec, core::JobSettings settings,
                    BlobSet blobs) {
    auto id = ctx.farm.submit(std::move(spec));
    if (!id) return error_answer(id.error());
    ctx.job_settings.emplace(*id, std::move(settings));
    if (blobs) ctx.job_blobs.emplace(*id, std::move(blobs));
    auto job = ctx.farm.show_job(*id);
    if (!job) return error_answer(job.error());
    Response answer = Response::json(protocol::to_json(to_wire(job->summary)), 201);
    answer.headers.emplace_back("Location", api_path("/jobs/" + id->to_string()));
    return answer;
}

http::Reply submit(ApiContext& ctx, Request& request) {
    auto body = json_body(request);
    if (!body) return malformed_json_answer(body.error());
    auto spec = job_spec_from_json(*body);
    if (!spec) return error_answer(spec.error());
    // Workers read the job's settings with the protocol's reader: refuse now what they would
    // refuse later, so a job never reaches its workers unreadable.
    auto submission = protocol::from_json<protocol::JobSubmission>(*body);
    if (!submission) {
        return bad_request("invalid_body", "the job: " + submission.error().message);
    }
    core::JobSettings settings = std::move(submission->settings);
    if (!settings.tree) return accept_job(ctx, std::move(spec).value(), std::move(settings), {});
    // Transfer mode: every file of the tree must be here. A tree may list a million files, so
    // they are looked for off the io thread.
    return on_disk_pool(
        ctx, request, [&ctx, settings] { return check_tree(*ctx.blobs, settings); },
        [&ctx, spec = std::move(spec).value(), settings](TreeCheck&& check) mutable {
            if (check.refusal) return std::move(*check.refusal);
            return accept_job(ctx, std::move(spec), std::move(settings), std::move(check.blobs));
        });
}

http::Reply list_jobs(ApiContext& ctx, Request&) {
    return Response::json(protocol::to_json(to_wire(ctx.farm.list_jobs())));
}

http::Reply show_job(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    auto job = ctx.farm.show_job(core::JobId(*id));
    if (!job) return error_answer(job.error());
    // The video's problems are the job's too: it completed, but not all it was asked to make.
    const core::Job* found = ctx.farm.scheduler().find_job(core::JobId(*id));
    if (ctx.media && found != nullptr) {
        for (auto& warning : ctx.media->warnings(core::JobId(*id))) {
            job->warnings.push_back({std::move(warning), found->frames});
        }
    }
    return Response::json(protocol::to_json(to_wire(*job)));
}

// POST /jobs/{id}/ACTION: runs the Farm's transition, answers the job as it is afterwards.
http::Handler steer(ApiContext& ctx, util::Status (Farm::*action)(core::JobId)) {
    return [&ctx, action](Request& request) -> http::Reply {
        auto id = path_id(request, "id");
        if (!id) return not_found_answer("job", request.param("id"));
        if (auto done = (ctx.farm.*action)(core::JobId(*id)); !done) {
            return error_answer(done.error());
        }
        auto job = ctx.farm.show_job(core::JobId(*id));
        if (!job) return error_answer(job.error());
        return Response::json(protocol::to_json(to_wire(job->summary)));
    };
}

http::Reply remove(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    if (auto done = ctx.farm.delete_job(core::JobId(*id)); !done) return error_answer(done.error());
    ctx.job_settings.erase(core::JobId(*id));
    ctx.job_blobs.erase(core::JobId(*id));
    ctx.frame_stats.erase(core::JobId(*id));
    if (ctx.media) ctx.media->erase(core::JobId(*id));
    return Response::json({{"id", *id}, {"deleted", true}});
}

http::Reply tasks(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    TaskFilter filter;
    if (auto status = request.query_value("status")) {
        auto parsed = core::parse_task_status(*status);
        if (!parsed) {
            return bad_request("invalid_query", "status '" + std::string(*status) +
                                                    "' is not a task status: use queued, active, "
                                                    "completed, failed or canceled");
        }
        filter.status = *parsed;
    }
    auto offset = query_count(request, "offset", 0, std::int64_t{1} << 40);
    auto limit = query_count(request, "limit", 1000, 10'000);
    if (!offset || !limit) {
        return bad_request("invalid_query",
                           "offset and limit must be whole numbers (limit at most "
                           "10000)");
    }
    filter.offset = static_cast<std::size_t>(*offset);
    filter.limit = static_cast<std::size_t>(*limit);
    auto list = ctx.farm.list_tasks(core::JobId(*id), filter);
    if (!list) return error_answer(list.error());
    return Response::json(protocol::to_json(to_wire(*list)));
}

}  // namespace

void add_job_routes(http::Router& router, ApiContext& ctx) {
    router.add("POST", api_path("/jobs"), Access::people(), with_context(ctx, submit));
    router.add("GET", api_path("/jobs"), Access::people(), with_context(ctx, list_jobs));
    router.add("GET", api_path("/jobs/{id}"), Access::people(), with_context(ctx, show_job));
    router.add("DELETE", api_path("/jobs/{id}"), Access::people(), with_context(ctx, remove));
    router.add("GET", api_path("/jobs/{id}/tasks"), Access::people(), with_context(ctx, tasks));
    router.add("POST", api_path("/jobs/{id}/cancel"), Access::people(), steer(ctx, &Farm::cancel));
    router.add("POST", api_path("/jobs/{id}/pause"), Access::people(), steer(ctx, &Farm::pause));
    router.add("POST", api_path("/jobs/{id}/resume"), Access::people(), steer(ctx, &Farm::resume));
    router.add("POST", api_path("/jobs/{id}/requeue"), Access::people(),
               steer(ctx, &Farm::requeue_failed));
}

}  // namespace spotfarm::manager::routes
