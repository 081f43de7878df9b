#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {

void add_api_routes(http::Router& router, ApiContext& context) {
    add_job_routes(router, context);
    add_task_routes(router, context);
    add_worker_routes(router, context);
    add_event_routes(router, context);
    add_download_routes(router, context);
    add_fleet_routes(router, context);
    add_blob_routes(router, context);
    add_frame_routes(router, context);
    add_priority_routes(router, context);
    add_login_routes(router, context);
    add_thumbnail_routes(router, context);
    add_frame_stats_routes(router, context);
    add_dashboard_routes(router, context);
    add_preview_routes(router, context);
}

}  // namespace spotfarm::manager::routes
