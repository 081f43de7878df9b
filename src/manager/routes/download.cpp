// /api/v1/download/spotfarm: this manager's own program, so a cloud worker fetches the very
// build it talks to (join token).
#include <fstream>
#include <iterator>

#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;

// Read once, at the first download: the program does not change while it runs.
http::Reply download(ApiContext& ctx, Request&) {
    if (!ctx.executable_bytes) {
        std::ifstream in(ctx.executable, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) bytes.clear();
        if (bytes.empty()) {
            return http::error_response(503, "unavailable",
                                        "the manager cannot read its own program " +
                                            ctx.executable.string() +
                                            "; install spotfarm on the worker another way");
        }
        ctx.executable_bytes = std::make_shared<const std::string>(std::move(bytes));
    }
    Response answer = Response::text(*ctx.executable_bytes, "application/octet-stream");
    answer.headers.emplace_back("Content-Disposition", "attachment; filename=\"spotfarm\"");
    return answer;
}

}  // namespace

void add_download_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/download/spotfarm"), Access::joining(),
               with_context(ctx, download));
}

}  // namespace spotfarm::manager::routes
