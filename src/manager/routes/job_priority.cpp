// POST /api/v1/jobs/{id}/priority {priority}: moves a job in the claim order (people token).
#include "core/job.h"
#include "manager/farm_json.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;

http::Reply set_priority(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    auto body = json_body(request);
    if (!body) return malformed_json_answer(body.error());
    if (!body->is_object())
        return bad_request("not_an_object", "the body must be {\"priority\": N}");
    auto field = body->find("priority");
    if (field == body->end() || field->is_null()) {
        return bad_request("missing_field", "the body must have 'priority' (0 to 100)");
    }
    if (!field->is_number_integer()) {
        return bad_request("wrong_type", "'priority' must be a whole number from 0 to 100");
    }
    const std::int64_t priority = field->get<std::int64_t>();
    if (priority < core::k_min_priority || priority > core::k_max_priority) {
        return bad_request("out_of_range",
                           "'priority' must be from 0 to 100 (higher goes first), not " +
                               std::to_string(priority));
    }
    if (auto done = ctx.farm.set_priority(core::JobId(*id), static_cast<int>(priority)); !done) {
        return error_answer(done.error());
    }
    auto job = ctx.farm.show_job(core::JobId(*id));
    if (!job) return error_answer(job.error());
    return Response::json(protocol::to_json(to_wire(job->summary)));
}

}  // namespace

void add_priority_routes(http::Router& router, ApiContext& ctx) {
    router.add("POST", api_path("/jobs/{id}/priority"), Access::people(),
               with_context(ctx, set_priority));
}

}  // namespace spotfarm::manager::routes
