// /api/v1/workers: workers join (join token), claim work and leave (their own secret); people
// list them.
#include <algorithm>
#include <chrono>

#include "manager/farm_json.h"
#include "manager/routes/job_trees.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"
#include "manager/worker_credentials.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t k_max_text = 256;
constexpr std::size_t k_max_list = 64;

std::optional<std::string> oversized(const protocol::RegisterRequest& r) {
    auto too_long = [](const std::string& s) { return s.size() > k_max_text; };
    auto bad_list = [&](const std::vector<std::string>& list) {
        return list.size() > k_max_list || std::any_of(list.begin(), list.end(), too_long);
    };
    if (r.name.empty()) return "name must not be empty";
    if (too_long(r.name) || too_long(r.host) || too_long(r.blender_version)) {
        return "name, host and blender_version are at most 256 characters";
    }
    if (bad_list(r.gpus) || bad_list(r.tags)) {
        return "gpus and tags hold at most 64 items of at most 256 characters";
    }
    if (r.cores < 0 || r.memory_mb < 0) return "cores and memory_mb must not be negative";
    if (r.memory_mb > (std::int64_t{1} << 40)) return "memory_mb is out of range";
    return std::nullopt;
}

http::Reply register_worker(ApiContext& ctx, Request& request) {
    Response refusal;
    auto hello = protocol_body<protocol::RegisterRequest>(request, refusal);
    if (!hello) return refusal;
    if (auto problem = oversized(*hello)) {
        return bad_request("invalid_body", "RegisterRequest: " + *problem);
    }
    core::WorkerInfo info{.name = hello->name,
                          .host = hello->host,
                          .cores = hello->cores,
                          .memory_bytes = hello->memory_mb * 1024 * 1024,
                          .gpus = hello->gpus,
                          .blender_version = hello->blender_version,
                          .tags = hello->tags};
    auto credentials = ctx.farm.register_worker(std::move(info));
    if (!credentials) return error_answer(credentials.error());
    ctx.keys.add(credentials->id, hash_worker_secret(credentials->secret));
    const int lease = lease_seconds(std::chrono::duration<double>(ctx.farm.policy().lease).count());
    protocol::Registration answer{.id = credentials->id.value,
                                  .secret = credentials->secret,
                                  .lease_seconds = lease,
                                  .heartbeat_seconds = std::max(1, lease / 3)};
    return Response::json(protocol::to_json(answer), 201);
}

// Claims a task for `worker` now: the 200 answer and the task, or nothing.
util::Result<std::optional<std::pair<Response, core::TaskId>>> claim_now(
    ApiContext& ctx, core::WorkerId worker, std::optional<core::JobId> warm,
    core::ClaimLimits limits, std::chrono::steady_clock::time_point asked) {
    auto claimed = ctx.farm.claim(worker, warm, limits);
    if (!claimed) return claimed.error();
    if (!*claimed) return std::optional<std::pair<Response, core::TaskId>>{};
    ctx.counters.claim_latency.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count());
    const Assignment& a = **claimed;
    const core::Job* job = ctx.farm.scheduler().find_job(a.job);
    protocol::Assignment out;
    out.task_id = a.task.value;
    out.attempt_id = a.attempt.value;
    out.job_id = a.job.value;
    out.frames = a.frames;
    out.lease_seconds = lease_seconds(a.lease_seconds);
    if (job != nullptr) out.job = settings_of(ctx, *job);
    out.job.scene = a.scene;
    out.job.output = a.output;
    return std::optional{std::pair{Response::json(protocol::to_json(out)), a.task}};
}

http::Reply claim(ApiContext& ctx, Request& request) {
    auto wait = http::long_poll_wait(request, ctx.max_claim_wait);
    if (!wait) return bad_request("invalid_query", wait.error().message);
    Response refusal;
    auto body = protocol_body<protocol::ClaimRequest>(request, refusal);
    if (!body) return refusal;
    const core::WorkerId worker = calling_worker(request);
    std::optional<core::JobId> warm;
    if (body->warm_job_id) warm = core::JobId(*body->warm_job_id);
    const core::ClaimLimits limits{.refuse_scripts = body->refuse_scripts};

    if (ctx.claims_closed) return Response::empty(204);
    const auto asked = std::chrono::steady_clock::now();
    auto now = claim_now(ctx, worker, warm, limits, asked);
    if (!now) return error_answer(now.error());
    if (*now) return std::move((*now)->first);
    if (wait->count() == 0) return Response::empty(204);

    http::Responder responder = request.defer(*wait, Response::empty(204));
    ctx.claims.wait(responder, [&ctx, worker, warm, limits, asked](http::Responder& waiting) {
        if (ctx.claims_closed) {
            waiting.complete(Response::empty(204));
            return;
        }
        auto found = claim_now(ctx, worker, warm, limits, asked);
        if (!found) {
            waiting.complete(error_answer(found.error()));
        } else if (*found) {
            // If the worker went away while it waited, the task goes back at once.
            const core::TaskId task = (*found)->second;
            ctx.commits.complete(waiting, std::move((*found)->first), [&ctx, task, worker] {
                (void)ctx.farm.release(task, worker, {});
            });
        }
    });
    return responder;
}

http::Reply drain(ApiContext& ctx, Request& request) {
    Response refusal;
    auto body = protocol_body<protocol::DrainRequest>(request, refusal);
    if (!body) return refusal;
    auto returned = ctx.farm.drain(calling_worker(request));
    if (!returned) return error_answer(returned.error());
    protocol::DrainAnswer answer;
    for (core::TaskId task : *returned) answer.returned_tasks.push_back(task.value);
    return Response::json(protocol::to_json(answer));
}

http::Reply sign_off(ApiContext& ctx, Request& request) {
    Response refusal;
    auto body = protocol_body<protocol::SignOffRequest>(request, refusal);
    if (!body) return refusal;
    auto returned = ctx.farm.sign_off(calling_worker(request));
    if (!returned) return error_answer(returned.error());
    return Response::json(json::object());
}

http::Reply list_workers(ApiContext& ctx, Request&) {
    return Response::json(protocol::to_json(to_wire(ctx.farm.list_workers())));
}

http::Reply show_worker(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("worker", request.param("id"));
    auto worker = ctx.farm.show_worker(core::WorkerId(*id));
    if (!worker) return error_answer(worker.error());
    return Response::json(protocol::to_json(to_wire(*worker)));
}

}  // namespace

void add_worker_routes(http::Router& router, ApiContext& ctx) {
    router.add("POST", api_path("/workers"), Access::joining(), with_context(ctx, register_worker));
    router.add("GET", api_path("/workers"), Access::people(), with_context(ctx, list_workers));
    router.add("GET", api_path("/workers/{id}"), Access::people(), with_context(ctx, show_worker));
    router.add("POST", api_path("/workers/{id}/claim"), Access::own_worker("id"),
               with_context(ctx, claim));
    router.add("POST", api_path("/workers/{id}/drain"), Access::own_worker("id"),
               with_context(ctx, drain));
    router.add("POST", api_path("/workers/{id}/sign-off"), Access::own_worker("id"),
               with_context(ctx, sign_off));
}

}  // namespace spotfarm::manager::routes
