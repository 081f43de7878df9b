#pragma once
// Routes: method + path pattern ("/api/v1/jobs/{id}") -> who may call + handler. The server asks
// the router for a match as soon as a request's header is in, so unknown paths, wrong methods and
// bodies too large for the route are answered before the body is read.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manager/http/auth.h"
#include "manager/http/request.h"
#include "manager/http/responder.h"
#include "manager/http/response.h"

namespace spotfarm::manager::http {

// Runs on the io thread, so it must not block for long. It may return a Response, or a Responder
// from request.defer(...) to answer later. An exception becomes a 500 (logged); the server goes on.
using Handler = std::function<Reply(Request&)>;

struct RouteOptions {
    std::size_t max_body_bytes = 0;  // 0: the server's limit
    // How long the body may take to arrive once the header is in; 0: the server's request
    // timeout. Routes that take large bodies (2 GiB frames) give them time to stream in.
    std::chrono::milliseconds body_timeout{0};
};

struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" binds a parameter
    Access access;
    Handler handler;
    RouteOptions options;
};

// A file for GET requests that no route matches (the dashboard). `content` must outlive the
// server (embedded files do).
struct StaticFile {
    std::string_view content;
    std::string content_type;
};
using StaticLookup = std::function<std::optional<StaticFile>(std::string_view path)>;

// The content type for a file name's extension (html, js, css, svg, png, json, ...).
std::string content_type_for(std::string_view path);

class Router {
public:
    // A route or the answer to give instead (404, 405 with Allow, a static file).
    struct Match {
        const Route* route = nullptr;
        Fields params;
        std::optional<Response> answer;
    };

    // Registers `handler` for `method` on `pattern`: '/'-separated segments, each a literal or
    // "{name}", matched whole (no trailing slash, no wildcards). The first route registered for a
    // method and path wins. Not thread-safe: register every route before the server runs.
    void add(std::string method, std::string_view pattern, Access access, Handler handler,
             RouteOptions options = {});

    // Serves GET requests outside /api/ that no route matches; "/" asks for "/index.html".
    void set_static_files(StaticLookup lookup);

    // The route for `method` on `path` (without query), with its parameters decoded.
    Match match(std::string_view method, std::string_view path) const;

    const std::vector<Route>& routes() const { return m_routes; }

    // Replaces the handler of every route registered so far by `wrap(handler)`.
    void wrap_handlers(const std::function<Handler(Handler)>& wrap);

private:
    std::vector<Route> m_routes;
    StaticLookup m_static;
};

}  // namespace spotfarm::manager::http
