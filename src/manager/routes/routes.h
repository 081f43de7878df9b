#pragma once
// The API's resources under /api/v1, one file per resource (jobs.cpp, tasks.cpp, workers.cpp,
// events.cpp, download.cpp, blobs.cpp, frames.cpp); docs/api.md describes each endpoint.

#include "core/attempt.h"
#include "manager/http/router.h"
#include "manager/routes/api_context.h"

namespace spotfarm::manager::routes {

// Registers every resource's routes. `context` must outlive the router's use.
void add_api_routes(http::Router& router, ApiContext& context);

void add_job_routes(http::Router& router, ApiContext& context);
void add_task_routes(http::Router& router, ApiContext& context);
void add_worker_routes(http::Router& router, ApiContext& context);
void add_event_routes(http::Router& router, ApiContext& context);
void add_download_routes(http::Router& router, ApiContext& context);
void add_fleet_routes(http::Router& router, ApiContext& context);
void add_blob_routes(http::Router& router, ApiContext& context);
void add_frame_routes(http::Router& router, ApiContext& context);
void add_priority_routes(http::Router& router, ApiContext& context);
void add_login_routes(http::Router& router, ApiContext& context);
void add_thumbnail_routes(http::Router& router, ApiContext& context);
void add_frame_stats_routes(http::Router& router, ApiContext& context);
// Keeps a completed attempt's frame figures for GET /jobs/{id}/frame-stats.
void remember_frame_stats(ApiContext& context, const core::AttemptEnd& end);
// The dashboard's static files at / (web/, embedded).
void add_dashboard_routes(http::Router& router, ApiContext& context);
// The embedded dashboard file for a request path ("/app.js"); a path with no extension is a
// page of the dashboard (index.html).
std::optional<http::StaticFile> dashboard_file(std::string_view path);
void add_preview_routes(http::Router& router, ApiContext& context);

}  // namespace spotfarm::manager::routes
