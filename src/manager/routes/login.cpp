// The dashboard's login: POST /api/v1/login {token} trades the people token for a session
// cookie (http/login_sessions.h says why a session and not the token); POST /api/v1/logout ends
// it; GET /api/v1/session says whether the caller is logged in.
#include "manager/http/cookies.h"
#include "manager/routes/route_helpers.h"
#include "manager/routes/routes.h"

namespace spotfarm::manager::routes {
namespace {

using http::Access;
using http::Request;
using http::Response;

http::RequestOrigin origin_of(const Request& request) {
    return {request.header("Origin"), request.header("Host"), request.header("Sec-Fetch-Site")};
}

http::Reply login(ApiContext& ctx, Request& request) {
    // Logging a victim's browser into an attacker's session needs a cross-site POST: refused.
    if (auto refusal = http::cross_site_refusal(origin_of(request))) {
        return http::error_response(403, "cross_site",
                                    *refusal + "; log in from the dashboard's own page");
    }
    auto body = json_body(request);
    if (!body) return malformed_json_answer(body.error());
    auto token = body->is_object() ? body->find("token") : body->end();
    if (!body->is_object() || token == body->end() || !token->is_string()) {
        return bad_request("missing_field", "the body must be {\"token\": \"PEOPLE TOKEN\"}");
    }
    std::string text = token->get<std::string>();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.erase(0, 1);
    if (ctx.auth == nullptr || !ctx.auth->is_people_token(text)) {
        return http::error_response(
            401, "invalid_token",
            "that is not this manager's people token. It is in the file people.token in the "
            "manager's state folder (the manager printed where when it started); the worker join "
            "token and workers' secrets do not open the dashboard");
    }
    auto session = ctx.logins.create();
    if (!session) return error_answer(session.error());
    Response response = Response::json({{"logged_in", true}});
    response.headers.emplace_back("Set-Cookie", http::session_cookie(*session));
    return response;
}

http::Reply logout(ApiContext& ctx, Request& request) {
    if (auto refusal = http::cross_site_refusal(origin_of(request))) {
        return http::error_response(403, "cross_site", *refusal);
    }
    if (auto cookie = request.header("Cookie"); cookie) {
        if (auto value = http::cookie_value(*cookie, http::k_session_cookie)) {
            ctx.logins.end(*value);
        }
    }
    Response response = Response::json({{"logged_in", false}});
    response.headers.emplace_back("Set-Cookie", http::expired_session_cookie());
    return response;
}

http::Reply session(ApiContext&, Request& request) {
    const bool by_cookie = !request.header("Authorization").has_value();
    return Response::json({{"logged_in", true}, {"by", by_cookie ? "cookie" : "token"}});
}

}  // namespace

void add_login_routes(http::Router& router, ApiContext& ctx) {
    router.add("POST", api_path("/login"), Access::open(), with_context(ctx, login),
               {.max_body_bytes = 4096});
    router.add("POST", api_path("/logout"), Access::open(), with_context(ctx, logout));
    router.add("GET", api_path("/session"), Access::people(), with_context(ctx, session));
}

}  // namespace spotfarm::manager::routes
