// /api/v1/download/spotfarm: this manager's own program, so a cloud worker fetches the very
// build it talks to (join token).
#include <filesystem>
#include <fstream>
#include <iterator>

#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"
#include "util/self_executable.h"

namespace spotfarm::manager::routes {
namespace {

using util::k_frame_check_file;

using http::Access;
using http::Request;
using http::Response;

// Reads `path` into `cache` at the first download: the files do not change while the manager
// runs. False when the file cannot be read.
bool read_once(std::shared_ptr<const std::string>& cache, const std::filesystem::path& path) {
    if (cache) return true;
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if ((!in.good() && !in.eof()) || bytes.empty()) return false;
    cache = std::make_shared<const std::string>(std::move(bytes));
    return true;
}

// The cached file as an answer that shares its bytes: a 6 MB program is never copied per
// download. Each answer holds a reference to the bytes until its last byte is written (or its
// client left), so the references beside the cache's own are the downloads in progress (one
// thread: the count is exact). Beyond ctx.max_downloads, 503 with Retry-After spreads a fleet's
// start-up over time.
Response attachment(ApiContext& ctx, const std::shared_ptr<const std::string>& cache,
                    const std::string& name) {
    const auto in_flight = static_cast<std::size_t>(cache.use_count() - 1);
    if (in_flight >= ctx.max_downloads) {
        Response busy =
            http::error_response(503, "busy",
                                 std::to_string(ctx.max_downloads) + " downloads of " + name +
                                     " are in progress; try again in a few seconds");
        busy.headers.emplace_back("Retry-After", "5");
        return busy;
    }
    Response answer = Response::shared(cache, "application/octet-stream");
    answer.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
    return answer;
}

http::Reply download(ApiContext& ctx, Request&) {
    if (!read_once(ctx.executable_bytes, ctx.executable)) {
        return http::error_response(503, "unavailable",
                                    "the manager cannot read its own program " +
                                        ctx.executable.string() +
                                        "; install spotfarm on the worker another way");
    }
    return attachment(ctx, ctx.executable_bytes, "spotfarm");
}

// The frame-check module: as the manager was told, else beside the program.
http::Reply download_frame_check(ApiContext& ctx, Request&) {
    std::filesystem::path module = ctx.frame_check_module;
    if (module.empty()) {
        std::error_code ec;
        const auto program = std::filesystem::canonical(ctx.executable, ec);
        module = (ec ? ctx.executable : program).parent_path() / std::string(k_frame_check_file);
    }
    if (!read_once(ctx.frame_check_bytes, module)) {
        return http::error_response(503, "unavailable",
                                    "the manager cannot read " + module.string() +
                                        ", the frame-check module workers need; install "
                                        "spotfarm on the worker another way");
    }
    return attachment(ctx, ctx.frame_check_bytes, std::string(k_frame_check_file));
}

}  // namespace

void add_download_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/download/spotfarm"), Access::joining(),
               with_context(ctx, download));
    router.add("GET", api_path("/download/") + std::string(k_frame_check_file), Access::joining(),
               with_context(ctx, download_frame_check));
}

}  // namespace spotfarm::manager::routes
