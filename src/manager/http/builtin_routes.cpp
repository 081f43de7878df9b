#include "manager/http/builtin_routes.h"

#include <nlohmann/json.hpp>

namespace spotfarm::manager::http {

void add_builtin_routes(Router& router, const HttpMetrics& metrics, BuiltinOptions options) {
    router.add("GET", "/api/v1/health", Access::open(), [](Request&) -> Reply {
        return Response::json({{"status", "ok"}, {"version", SPOTFARM_VERSION}});
    });
    Access metrics_access = options.open_metrics ? Access::open() : Access::people();
    router.add("GET", "/metrics", metrics_access,
               [&metrics, extra = std::move(options.extra_metrics)](Request&) -> Reply {
                   std::string text = prometheus_text(metrics);
                   if (extra) text += extra();
                   return Response::text(std::move(text),
                                         "text/plain; version=0.0.4; charset=utf-8");
               });
}

}  // namespace spotfarm::manager::http
