#include "manager/http/router.h"

#include <algorithm>

#include "util/percent_encoding.h"

namespace spotfarm::manager::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.starts_with('/')) path.remove_prefix(1);
    while (true) {
        std::size_t slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

bool is_parameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether `route` matches the decoded `segments`; fills `params` when it does.
bool match_segments(const Route& route, const std::vector<std::string>& segments, Fields* params) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& want = route.segments[i];
        if (is_parameter(want)) {
            if (segments[i].empty()) return false;
        } else if (want != segments[i]) {
            return false;
        }
    }
    if (params) {
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const std::string& want = route.segments[i];
            if (is_parameter(want))
                params->emplace_back(want.substr(1, want.size() - 2), segments[i]);
        }
    }
    return true;
}

}  // namespace

std::string content_type_for(std::string_view path) {
    std::size_t dot = path.rfind('.');
    std::string_view extension = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    if (extension == "html") return "text/html; charset=utf-8";
    if (extension == "js") return "text/javascript; charset=utf-8";
    if (extension == "css") return "text/css; charset=utf-8";
    if (extension == "json") return "application/json";
    if (extension == "svg") return "image/svg+xml";
    if (extension == "png") return "image/png";
    if (extension == "ico") return "image/x-icon";
    if (extension == "txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

void Router::add(std::string method, std::string_view pattern, Access access, Handler handler,
                 RouteOptions options) {
    Route route;
    route.method = std::move(method);
    route.pattern = std::string(pattern);
    for (std::string_view segment : split_path(pattern)) route.segments.emplace_back(segment);
    route.access = std::move(access);
    route.handler = std::move(handler);
    route.options = options;
    m_routes.push_back(std::move(route));
}

void Router::wrap_handlers(const std::function<Handler(Handler)>& wrap) {
    for (Route& route : m_routes) route.handler = wrap(std::move(route.handler));
}

void Router::set_static_files(StaticLookup lookup) {
    m_static = std::move(lookup);
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match match;
    if (!path.starts_with('/')) {
        match.answer = error_response(400, "bad_path", "the request path must start with '/'");
        return match;
    }
    std::vector<std::string> segments;
    for (std::string_view segment : split_path(path))
        segments.push_back(util::percent_decode(segment));

    std::vector<std::string_view> allowed;
    for (const Route& route : m_routes) {
        if (!match_segments(route, segments, nullptr)) continue;
        if (route.method == method) {
            match.route = &route;
            match_segments(route, segments, &match.params);
            return match;
        }
        if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
            allowed.push_back(route.method);
        }
    }
    if (!allowed.empty()) {
        std::string list;
        for (std::string_view name : allowed)
            list += (list.empty() ? "" : ", ") + std::string(name);
        Response response = error_response(
            405, "method_not_allowed",
            std::string(method) + " is not allowed on " + std::string(path) + "; use " + list);
        response.headers.emplace_back("Allow", list);
        match.answer = std::move(response);
        return match;
    }
    if (m_static && method == "GET" && !path.starts_with("/api/")) {
        std::string file = path == "/" ? "/index.html" : util::percent_decode(path);
        if (auto found = m_static(file)) {
            Response response = Response::text(std::string(found->content), found->content_type);
            response.headers.emplace_back("Cache-Control", "no-cache");
            match.answer = std::move(response);
            return match;
        }
    }
    match.answer =
        error_response(404, "not_found",
                       "there is no " + std::string(path) +
                           " on this manager; the API is under /api/v1 (see docs/api.md)");
    return match;
}

}  // namespace spotfarm::manager::http
