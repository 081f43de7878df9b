// ApiClient against a real HTTP server on loopback (the manager's own server and auth), with
// routes that answer as the manager's do.
#include "cli/client/api_client.h"

#include <gtest/gtest.h>

#include <memory>

#include "cli/common/commands.h"
#include "manager/http/response.h"
#include "support/http_test_server.h"

namespace spotfarm::cli {
namespace {

using manager::http::Access;
using manager::http::error_response;
using manager::http::Reply;
using manager::http::Request;
using manager::http::Response;
using nlohmann::json;

void add_routes(manager::http::Router& router, manager::http::HttpServer&) {
    router.add("GET", "/api/v1/jobs", Access::people(), [](Request& r) -> Reply {
        return Response::json(
            json::array({{{"id", 1}, {"status", r.query_value("s").value_or("")}}}));
    });
    router.add("POST", "/api/v1/jobs", Access::people(), [](Request& r) -> Reply {
        json body = json::parse(r.body);
        return Response::json(
            {{"id", 7}, {"name", body["name"]}, {"type", r.header("Content-Type").value_or("")}},
            201);
    });
    router.add("POST", "/api/v1/jobs/{id}/resume", Access::people(), [](Request& r) -> Reply {
        return error_response(409, "conflict",
                              "job " + std::string(r.param("id")) + " is not paused");
    });
    router.add("DELETE", "/api/v1/jobs/{id}", Access::people(),
               [](Request&) -> Reply { return Response::empty(204); });
    router.add("GET", "/api/v1/text", Access::people(),
               [](Request&) -> Reply { return Response::text("<html>hello</html>"); });
}

class ApiClientTest : public ::testing::Test {
protected:
    ApiClient client(std::string token = std::string(testing::k_people_token)) {
        return ApiClient(http, {server.url(""), std::move(token), "--manager", "SPOTFARM_TOKEN"});
    }

    testing::HttpTestServer server{add_routes};
    util::CurlHttpClient http;
};

TEST_F(ApiClientTest, GetsAndPostsJson) {
    auto api = client();
    auto jobs = api.get("/jobs?s=failed");
    ASSERT_TRUE(jobs) << jobs.error().message;
    EXPECT_EQ(*jobs, json::array({{{"id", 1}, {"status", "failed"}}}));
    auto submitted = api.post("/jobs", {{"name", "shot"}});
    ASSERT_TRUE(submitted) << submitted.error().message;
    EXPECT_EQ((*submitted)["id"], 7);
    EXPECT_EQ((*submitted)["name"], "shot");
    EXPECT_EQ((*submitted)["type"], "application/json");
}

TEST_F(ApiClientTest, AnEmptyAnswerIsNull) {
    auto deleted = client().remove("/jobs/3");
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_TRUE(deleted->is_null());
}

TEST_F(ApiClientTest, ARefusalCarriesTheManagersMessage) {
    auto resumed = client().post("/jobs/3/resume");
    ASSERT_FALSE(resumed);
    EXPECT_EQ(resumed.error().kind, util::ErrorKind::failed);
    EXPECT_NE(resumed.error().message.find("job 3 is not paused (HTTP 409, conflict)"),
              std::string::npos)
        << resumed.error().message;
    auto missing = client().get("/nothing/here");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, util::ErrorKind::failed);
    EXPECT_NE(missing.error().message.find("HTTP 404"), std::string::npos);
}

TEST_F(ApiClientTest, AWrongTokenSaysWhereTheTokenCameFrom) {
    auto jobs = client("not-the-token-at-all").get("/jobs");
    ASSERT_FALSE(jobs);
    EXPECT_EQ(jobs.error().kind, util::ErrorKind::failed);
    EXPECT_NE(jobs.error().message.find("HTTP 401"), std::string::npos) << jobs.error().message;
    EXPECT_NE(jobs.error().message.find("The token came from SPOTFARM_TOKEN"), std::string::npos)
        << jobs.error().message;
}

TEST_F(ApiClientTest, AnAnswerThatIsNotJsonIsAFailure) {
    auto text = client().get("/text");
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().kind, util::ErrorKind::failed);
    EXPECT_NE(text.error().message.find("not JSON"), std::string::npos) << text.error().message;
}

TEST(ApiClient, NoManagerListeningIsUnavailableAndSaysHowToStartOne) {
    std::string url;
    {
        testing::HttpTestServer gone{add_routes};
        url = gone.url("");
    }
    util::CurlHttpClient http;
    ApiClient api(http, {url, "token", "SPOTFARM_MANAGER", "--token"});
    auto jobs = api.get("/jobs");
    ASSERT_FALSE(jobs);
    EXPECT_EQ(jobs.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(jobs.error().message.find("cannot reach the manager at " + url +
                                        " (from SPOTFARM_MANAGER)"),
              std::string::npos)
        << jobs.error().message;
    EXPECT_NE(jobs.error().message.find("spotfarm manager --state-dir"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::cli
