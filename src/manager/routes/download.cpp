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

// The bytes of `path`, read once at the first download: the files do not change while the
// manager runs. Null when the file cannot be read.
std::shared_ptr<const std::string> read_once(std::shared_ptr<const std::string>& cache,
                                             const std::filesystem::path& path) {
    if (cache) return cache;
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if ((!in.good() && !in.eof()) || bytes.empty()) return nullptr;
    cache = std::make_shared<const std::string>(std::move(bytes));
    return cache;
}

Response attachment(const std::string& bytes, const std::string& name) {
    Response answer = Response::text(bytes, "application/octet-stream");
    answer.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
    return answer;
}

http::Reply download(ApiContext& ctx, Request&) {
    auto bytes = read_once(ctx.executable_bytes, ctx.executable);
    if (!bytes) {
        return http::error_response(503, "unavailable",
                                    "the manager cannot read its own program " +
                                        ctx.executable.string() +
                                        "; install spotfarm on the worker another way");
    }
    return attachment(*bytes, "spotfarm");
}

// The frame-check module: as the manager was told, else beside the program.
http::Reply download_frame_check(ApiContext& ctx, Request&) {
    std::filesystem::path module = ctx.frame_check_module;
    if (module.empty()) {
        std::error_code ec;
        const auto program = std::filesystem::canonical(ctx.executable, ec);
        module = (ec ? ctx.executable : program).parent_path() / std::string(k_frame_check_file);
    }
    auto bytes = read_once(ctx.frame_check_bytes, module);
    if (!bytes) {
        return http::error_response(503, "unavailable",
                                    "the manager cannot read " + module.string() +
                                        ", the frame-check module workers need; install "
                                        "spotfarm on the worker another way");
    }
    return attachment(*bytes, std::string(k_frame_check_file));
}

}  // namespace

void add_download_routes(http::Router& router, ApiContext& ctx) {
    router.add("GET", api_path("/download/spotfarm"), Access::joining(),
               with_context(ctx, download));
    router.add("GET", api_path("/download/") + std::string(k_frame_check_file), Access::joining(),
               with_context(ctx, download_frame_check));
}

}  // namespace spotfarm::manager::routes
