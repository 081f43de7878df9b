// The dashboard's static files (web/, compiled in): served at / to anyone, since the page holds
// no data; everything it shows comes from the API behind the login.
#include <algorithm>

#include "manager/routes/routes.h"
#include "util/embedded_file.h"

namespace spotfarm::manager {
extern const util::EmbeddedFile k_web_files[];
extern const std::size_t k_web_files_count;
}  // namespace spotfarm::manager

namespace spotfarm::manager::routes {

std::optional<http::StaticFile> dashboard_file(std::string_view path) {
    // The page's own routes (/jobs/3, /workers) are the one page: the script reads the path.
    const bool page = path.find('.') == std::string_view::npos;
    const std::string_view wanted = page ? std::string_view("/index.html") : path;
    const auto* end = k_web_files + k_web_files_count;
    const auto* found = std::find_if(
        k_web_files, end, [&](const util::EmbeddedFile& file) { return file.path == wanted; });
    if (found == end) return std::nullopt;
    return http::StaticFile{found->content, http::content_type_for(found->path)};
}

void add_dashboard_routes(http::Router& router, ApiContext&) {
    router.set_static_files(dashboard_file);
}

}  // namespace spotfarm::manager::routes
