// /api/v1/fleet and /api/v1/jobs/{id}/cost: the instances a manager's fleet controller runs and
// what they cost (people token). A manager without a fleet answers 404 with a hint.
#include "manager/fleet_view.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;

Response no_fleet() {
    Response answer = Response::json(
        {{"error", "this manager runs no fleet: start it with --provider local|aws to have one"},
         {"code", "not_found"}},
        404);
    return answer;
}

http::Reply fleet(ApiContext& ctx, Request&) {
    if (!ctx.fleet) return no_fleet();
    return Response::json(ctx.fleet->fleet_json());
}

http::Reply job_cost(ApiContext& ctx, Request& request) {
    auto id = path_id(request, "id");
    if (!id) return not_found_answer("job", request.param("id"));
    auto job = ctx.farm.show_job(core::JobId(*id));
    if (!job) return error_answer(job.error());
    if (!ctx.fleet) return no_fleet();
    return Response::json(ctx.fleet->job_cost_json(core::JobId(*id), job->summary.created_ms));
}

}  // namespace

void add_fleet_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/fleet"), Access::people(), with_context(ctx, fleet));
    router.add("GET", api_path("/jobs/{id}/cost"), Access::people(), with_context(ctx, job_cost));
}

}  // namespace spotfarm::manager::routes
