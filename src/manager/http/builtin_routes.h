#pragma once
// Routes every manager serves besides its resources: GET /api/v1/health (no token) and
// GET /metrics (Prometheus text).

#include <functional>
#include <string>

#include "manager/http/metrics.h"
#include "manager/http/router.h"

namespace spotfarm::manager::http {

struct BuiltinOptions {
    // /metrics takes the people token unless this is set (a scraper inside a private network).
    bool open_metrics = false;
    // More Prometheus text appended to /metrics (the farm's queue and worker gauges).
    std::function<std::string()> extra_metrics;
};

// `metrics` must outlive the router's use (the server's own: HttpServer::metrics()).
void add_builtin_routes(Router& router, const HttpMetrics& metrics, BuiltinOptions options = {});

}  // namespace spotfarm::manager::http
