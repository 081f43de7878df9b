#include "manager/http/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::manager::http {
namespace {

Handler answer(std::string text) {
    return [text](Request&) -> Reply { return Response::text(text); };
}

std::string run(const Router::Match& match, Request request = {}) {
    request.params = match.params;
    Reply reply = match.route->handler(request);
    return std::get<Response>(reply).body;
}

Router api() {
    Router router;
    router.add("GET", "/api/v1/jobs", Access::people(), answer("list"));
    router.add("POST", "/api/v1/jobs", Access::people(), answer("submit"));
    router.add("GET", "/api/v1/jobs/{id}", Access::people(), answer("show"));
    router.add("DELETE", "/api/v1/jobs/{id}", Access::people(), answer("delete"));
    router.add("POST", "/api/v1/workers/{id}/claim", Access::own_worker(), answer("claim"));
    router.add("POST", "/api/v1/tasks/{task}/frames/{frame}", Access::any_worker(),
               answer("frame"));
    return router;
}

TEST(Router, MatchesLiteralsAndBindsParameters) {
    Router router = api();
    auto list = router.match("GET", "/api/v1/jobs");
    ASSERT_TRUE(list.route);
    EXPECT_EQ(run(list), "list");
    EXPECT_EQ(run(router.match("POST", "/api/v1/jobs")), "submit");

    auto show = router.match("GET", "/api/v1/jobs/42");
    ASSERT_TRUE(show.route);
    EXPECT_EQ(run(show), "show");
    ASSERT_EQ(show.params.size(), 1u);
    EXPECT_EQ(show.params[0], (std::pair<std::string, std::string>{"id", "42"}));

    auto frame = router.match("POST", "/api/v1/tasks/7/frames/0012");
    ASSERT_TRUE(frame.route);
    Request request;
    request.params = frame.params;
    EXPECT_EQ(request.param("task"), "7");
    EXPECT_EQ(request.param("frame"), "0012");
    EXPECT_EQ(request.param("nope"), "");
}

TEST(Router, DecodesParameters) {
    auto match = api().match("GET", "/api/v1/jobs/a%20b%2Fc");
    ASSERT_TRUE(match.route);
    EXPECT_EQ(match.params[0].second, "a b/c");
}

TEST(Router, UnknownPathIs404WithJsonError) {
    Router router = api();
    for (std::string_view path :
         {"/api/v1/job", "/api/v1/jobs/1/x", "/api/v1/jobs/", "/", "/api/v2/jobs"}) {
        auto match = router.match("GET", path);
        ASSERT_FALSE(match.route) << path;
        ASSERT_TRUE(match.answer) << path;
        EXPECT_EQ(match.answer->status, 404) << path;
        auto body = nlohmann::json::parse(match.answer->body);
        EXPECT_EQ(body["code"], "not_found");
        EXPECT_NE(body["error"].get<std::string>().find(std::string(path)), std::string::npos);
    }
}

TEST(Router, KnownPathWithAnotherMethodIs405ListingTheAllowedOnes) {
    Router router = api();
    auto match = router.match("PUT", "/api/v1/jobs/3");
    ASSERT_TRUE(match.answer);
    EXPECT_EQ(match.answer->status, 405);
    EXPECT_EQ(nlohmann::json::parse(match.answer->body)["code"], "method_not_allowed");
    ASSERT_EQ(match.answer->headers.size(), 1u);
    EXPECT_EQ(match.answer->headers[0].first, "Allow");
    EXPECT_EQ(match.answer->headers[0].second, "GET, DELETE");
}

TEST(Router, EmptyParameterDoesNotMatch) {
    auto match = api().match("POST", "/api/v1/workers//claim");
    EXPECT_FALSE(match.route);
    EXPECT_EQ(match.answer->status, 404);
}

TEST(Router, FirstRouteRegisteredWins) {
    Router router;
    router.add("GET", "/api/v1/jobs/latest", Access::people(), answer("latest"));
    router.add("GET", "/api/v1/jobs/{id}", Access::people(), answer("show"));
    EXPECT_EQ(run(router.match("GET", "/api/v1/jobs/latest")), "latest");
    EXPECT_EQ(run(router.match("GET", "/api/v1/jobs/5")), "show");
}

TEST(Router, PathMustBeAbsolute) {
    auto match = api().match("GET", "http://example.com/api/v1/jobs");
    ASSERT_TRUE(match.answer);
    EXPECT_EQ(match.answer->status, 400);
}

TEST(Router, ServesStaticFilesOutsideTheApiOnly) {
    Router router = api();
    router.set_static_files([](std::string_view path) -> std::optional<StaticFile> {
        if (path == "/index.html") return StaticFile{"<h1>farm</h1>", content_type_for(path)};
        if (path == "/api/v1/secret.js") return StaticFile{"leak", content_type_for(path)};
        return std::nullopt;
    });
    auto root = router.match("GET", "/");
    ASSERT_TRUE(root.answer);
    EXPECT_EQ(root.answer->status, 200);
    EXPECT_EQ(root.answer->body, "<h1>farm</h1>");
    EXPECT_EQ(root.answer->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(router.match("GET", "/api/v1/secret.js").answer->status, 404);
    EXPECT_EQ(router.match("POST", "/index.html").answer->status, 404);
    EXPECT_EQ(router.match("GET", "/missing.css").answer->status, 404);
}

TEST(ContentType, FollowsTheExtension) {
    EXPECT_EQ(content_type_for("/app.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(content_type_for("/style.css"), "text/css; charset=utf-8");
    EXPECT_EQ(content_type_for("/logo.svg"), "image/svg+xml");
    EXPECT_EQ(content_type_for("/blob"), "application/octet-stream");
}

}  // namespace
}  // namespace spotfarm::manager::http
