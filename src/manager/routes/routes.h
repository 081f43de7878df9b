#pragma once
// The API's resources under /api/v1, one file per resource (jobs.cpp, tasks.cpp, workers.cpp,
// events.cpp, download.cpp, blobs.cpp, frames.cpp); docs/api.md describes each endpoint.

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
void add_preview_routes(http::Router& router, ApiContext& context);

}  // namespace spotfarm::manager::routes
