// The HTTP server end to end: a real server on 127.0.0.1, real clients (libcurl, raw sockets).
#include "manager/http/server.h"

#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "manager/http/builtin_routes.h"
#include "manager/http/json_reader.h"
#include "support/http_test_server.h"
#include "support/raw_tcp_client.h"

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::body_of;
using testing::HttpTestServer;
using testing::k_join_token;
using testing::k_people_token;
using testing::RawTcpClient;
using testing::status_of;

constexpr std::size_t k_big_route_limit = 4 << 20;

void add_test_routes(Router& router, HttpServer& server) {
    router.add("GET", "/api/v1/echo/{id}", Access::people(), [](Request& request) -> Reply {
        return Response::json({{"id", request.param("id")},
                               {"x", request.query_value("x").value_or("")},
                               {"principal", to_string(request.principal)}});
    });
    router.add("POST", "/api/v1/things", Access::people(), [](Request& request) -> Reply {
        JsonReader in(request.body);
        auto name = in.string("name");
        auto count = in.integer("count", 1, 100);
        if (!in.ok()) return in.error();
        return Response::json({{"name", name}, {"count", count}}, 201);
    });
    router.add("DELETE", "/api/v1/things/{id}", Access::people(),
               [](Request&) -> Reply { return Response::empty(204); });
    router.add("POST", "/api/v1/workers/{id}/ping", Access::own_worker(),
               [](Request& request) -> Reply {
                   return Response::json({{"worker", request.worker_id}});
               });
    router.add("POST", "/api/v1/workers", Access::joining(), [](Request& request) -> Reply {
        return Response::json({{"principal", to_string(request.principal)}}, 201);
    });
    router.add("POST", "/api/v1/boom", Access::people(),
               [](Request&) -> Reply { throw std::runtime_error("kaboom"); });
    router.add(
        "PUT", "/api/v1/big", Access::people(),
        [](Request& request) -> Reply {
            return Response::json({{"bytes", request.body.size()}});
        },
        RouteOptions{.max_body_bytes = k_big_route_limit});
    add_builtin_routes(router, server.metrics());
}

class ServerTest : public ::testing::Test {
protected:
    ServerTest() : m_server(add_test_routes) {}

    json call_json(std::string method, std::string_view path, std::string body, int want_status,
                   std::string_view token = k_people_token) {
        auto response = m_server.call(std::move(method), path, std::move(body), token);
        EXPECT_TRUE(response) << response.error().message;
        if (!response) return {};
        EXPECT_EQ(response->status, want_status) << path << ": " << response->body;
        if (response->body.empty()) return {};
        auto parsed = json::parse(response->body, nullptr, false);
        EXPECT_FALSE(parsed.is_discarded()) << response->body;
        return parsed;
    }
    const HttpMetrics& metrics() { return m_server.server().metrics(); }

    HttpTestServer m_server;
};

TEST_F(ServerTest, RoutesWithParametersAndQuery) {
    json echo = call_json("GET", "/api/v1/echo/job%2042?x=a%26b&y=2", "", 200);
    EXPECT_EQ(echo["id"], "job 42");
    EXPECT_EQ(echo["x"], "a&b");
    EXPECT_EQ(echo["principal"], "people token");
    json made = call_json("POST", "/api/v1/things", R"({"name":"n","count":3})", 201);
    EXPECT_EQ(made["count"], 3);
    auto deleted = m_server.call("DELETE", "/api/v1/things/1");
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->status, 204);
    EXPECT_TRUE(deleted->body.empty());
}

TEST_F(ServerTest, UnknownPathsAre404AndWrongMethods405) {
    EXPECT_EQ(call_json("GET", "/api/v1/nothing", "", 404)["code"], "not_found");
    EXPECT_EQ(call_json("GET", "/api/v1/echo", "", 404)["code"], "not_found");
    auto wrong = m_server.call("PATCH", "/api/v1/things/1");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 405);
    EXPECT_EQ(util::find_header(wrong->headers, "Allow"), "DELETE");
    EXPECT_EQ(json::parse(wrong->body)["code"], "method_not_allowed");
}

TEST_F(ServerTest, TokensAreChecked) {
    json missing = call_json("GET", "/api/v1/echo/1", "", 401, "");
    EXPECT_EQ(missing["code"], "missing_token");
    EXPECT_NE(missing["error"].get<std::string>().find(testing::k_token_hint), std::string::npos);
    EXPECT_EQ(call_json("GET", "/api/v1/echo/1", "", 401, "not-a-token")["code"], "invalid_token");
    EXPECT_EQ(call_json("GET", "/api/v1/echo/1", "", 403, k_join_token)["code"], "forbidden");

    EXPECT_EQ(call_json("POST", "/api/v1/workers", "{}", 201, k_join_token)["principal"],
              "worker join token");
    EXPECT_EQ(call_json("POST", "/api/v1/workers/w1/ping", "", 200, "worker-secret-w1")["worker"],
              "w1");
    EXPECT_EQ(call_json("POST", "/api/v1/workers/w2/ping", "", 403, "worker-secret-w1")["code"],
              "forbidden");
    EXPECT_EQ(call_json("POST", "/api/v1/workers/w1/ping", "", 403)["code"], "forbidden");
}

TEST_F(ServerTest, HealthNeedsNoTokenAndMetricsNeedTheirs) {
    EXPECT_EQ(call_json("GET", "/api/v1/health", "", 200, "")["status"], "ok");
    EXPECT_EQ(call_json("GET", "/metrics", "", 401, "")["code"], "missing_token");
    auto text = m_server.call("GET", "/metrics");
    ASSERT_TRUE(text);
    EXPECT_EQ(text->status, 200);
    EXPECT_NE(util::find_header(text->headers, "Content-Type")->find("text/plain"),
              std::string::npos);
    EXPECT_NE(text->body.find("# TYPE spotfarm_http_requests_total counter\n"), std::string::npos);
    EXPECT_NE(text->body.find("spotfarm_http_open_connections 1\n"), std::string::npos)
        << text->body;
    EXPECT_NE(text->body.find("spotfarm_http_responses_total{class=\"4xx\"} 1\n"),
              std::string::npos)
        << text->body;
}

TEST_F(ServerTest, MalformedJsonAndWrongTypesAre400) {
    EXPECT_EQ(call_json("POST", "/api/v1/things", "{\"name\": ", 400)["code"], "malformed_json");
    EXPECT_EQ(call_json("POST", "/api/v1/things", "[]", 400)["code"], "not_an_object");
    EXPECT_EQ(call_json("POST", "/api/v1/things", R"({"name":1,"count":1})", 400)["code"],
              "wrong_type");
    EXPECT_EQ(call_json("POST", "/api/v1/things", R"({"name":"n","count":"1"})", 400)["code"],
              "wrong_type");
    EXPECT_EQ(
        call_json("POST", "/api/v1/things", R"({"name":"n","count":1000000000})", 400)["code"],
        "out_of_range");
    EXPECT_EQ(call_json("POST", "/api/v1/things", R"({"count":1})", 400)["code"], "missing_field");
    std::string invalid_utf8 = "{\"name\":\"\xff\xfe\",\"count\":1}";
    EXPECT_EQ(call_json("POST", "/api/v1/things", invalid_utf8, 400)["code"], "malformed_json");
}

TEST_F(ServerTest, BodiesOverTheLimitAre413) {
    std::string huge(2 << 20, 'x');
    json refused = call_json("POST", "/api/v1/things", huge, 413);
    EXPECT_EQ(refused["code"], "body_too_large");
    EXPECT_NE(refused["error"].get<std::string>().find("at most 1 MiB"), std::string::npos);
    // A route may take more.
    EXPECT_EQ(call_json("PUT", "/api/v1/big", huge, 200)["bytes"], huge.size());
    EXPECT_EQ(call_json("PUT", "/api/v1/big", std::string(k_big_route_limit + 1, 'x'), 413)["code"],
              "body_too_large");
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
    RawTcpClient client(m_server.port());
    std::string chunk(64 << 10, 'x');
    char size[16];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    ASSERT_TRUE(client.send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                            std::string(k_people_token) +
                            "\r\nTransfer-Encoding: chunked\r\n\r\n"));
    for (int i = 0; i < 20; ++i) {
        if (!client.send(std::string(size) + "\r\n" + chunk + "\r\n")) break;  // closed after 413
    }
    std::string response = client.read_response(5s);
    EXPECT_EQ(status_of(response), 413) << response;
    EXPECT_TRUE(client.closed_within(5s));
}

TEST_F(ServerTest, HandlerExceptionIs500AndTheServerGoesOn) {
    json failed = call_json("POST", "/api/v1/boom", "", 500);
    EXPECT_EQ(failed["code"], "internal_error");
    EXPECT_NE(failed["error"].get<std::string>().find("kaboom"), std::string::npos);
    EXPECT_EQ(metrics().handler_exceptions.load(), 1u);
    EXPECT_EQ(call_json("GET", "/api/v1/echo/1", "", 200)["id"], "1");
}

TEST_F(ServerTest, FailingWorkerLookupIs500AndTheServerGoesOn) {
    json failed =
        call_json("POST", "/api/v1/workers/w1/ping", "", 500, testing::k_throwing_worker_secret);
    EXPECT_EQ(failed["code"], "internal_error");
    EXPECT_NE(failed["error"].get<std::string>().find("the store is down"), std::string::npos);
    EXPECT_EQ(call_json("POST", "/api/v1/workers/w1/ping", "", 200, "worker-secret-w1")["worker"],
              "w1");
}

TEST_F(ServerTest, GarbageIs400AndTheConnectionClosed) {
    RawTcpClient client(m_server.port());
    ASSERT_TRUE(client.send("HELLO THERE\r\n\r\n"));
    std::string response = client.read_response(5s);
    EXPECT_EQ(status_of(response), 400) << response;
    EXPECT_EQ(json::parse(body_of(response))["code"], "bad_request");
    EXPECT_TRUE(client.closed_within(5s));

    RawTcpClient binary(m_server.port());
    const char tls_hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\0\0\r\n\r\n";
    ASSERT_TRUE(binary.send(std::string_view(tls_hello, sizeof tls_hello - 1)));
    EXPECT_EQ(status_of(binary.read_response(5s)), 400);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
    RawTcpClient client(m_server.port());
    std::string request =
        "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nX-Junk: " + std::string(64 << 10, 'j') +
        "\r\n\r\n";
    client.send(request);
    std::string response = client.read_response(5s);
    EXPECT_EQ(status_of(response), 431) << response.substr(0, 200);
    EXPECT_EQ(json::parse(body_of(response))["code"], "headers_too_large");
}

TEST_F(ServerTest, SlowClientIsCutAfterTheRequestTimeout) {
    // request_timeout is 500 ms in the test configuration.
    RawTcpClient slow(m_server.port());
    ASSERT_TRUE(slow.send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Le"));
    EXPECT_TRUE(slow.closed_within(3s));

    RawTcpClient slow_body(m_server.port());
    ASSERT_TRUE(slow_body.send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                               std::string(k_people_token) + "\r\nContent-Length: 100\r\n\r\n{"));
    EXPECT_TRUE(slow_body.closed_within(3s));
}

TEST(ServerTimeouts, SlowClientDoesNotHoldUpOthers) {
    ServerConfig config = HttpTestServer::fast_config();
    config.request_timeout = 5s;
    HttpTestServer server(add_test_routes, config);
    std::vector<std::unique_ptr<RawTcpClient>> slow;
    for (int i = 0; i < 20; ++i) {
        slow.push_back(std::make_unique<RawTcpClient>(server.port()));
        ASSERT_TRUE(slow.back()->send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\nContent-Le"));
    }
    auto started = std::chrono::steady_clock::now();
    auto health = server.call("GET", "/api/v1/health", "", "");
    ASSERT_TRUE(health) << health.error().message;
    EXPECT_EQ(health->status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_FALSE(slow.front()->closed_within(0ms)) << "the slow clients are still being waited for";
}

TEST_F(ServerTest, KeepAliveAndPipelining) {
    RawTcpClient client(m_server.port());
    std::string get = "GET /api/v1/echo/one HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                      std::string(k_people_token) + "\r\n\r\n";
    std::string get_two = get;
    get_two.replace(get_two.find("one"), 3, "two");
    ASSERT_TRUE(client.send(get));
    EXPECT_EQ(json::parse(body_of(client.read_response(5s)))["id"], "one");
    ASSERT_TRUE(client.send(get_two + get));  // two requests in one write
    EXPECT_EQ(json::parse(body_of(client.read_response(5s)))["id"], "two");
    EXPECT_EQ(json::parse(body_of(client.read_response(5s)))["id"], "one");
    EXPECT_EQ(metrics().connections_accepted.load(), 1u);
}

TEST_F(ServerTest, ErrorAnsweredFromTheHeaderKeepsABodylessConnection) {
    RawTcpClient client(m_server.port());
    ASSERT_TRUE(client.send("GET /api/v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(status_of(client.read_response(5s)), 404);
    ASSERT_TRUE(client.send("GET /api/v1/echo/1 HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(status_of(client.read_response(5s)), 401);
    ASSERT_TRUE(client.send("GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(status_of(client.read_response(5s)), 200);
    EXPECT_EQ(metrics().connections_accepted.load(), 1u);
}

TEST_F(ServerTest, Http10ClientGetsItsAnswerThenTheConnectionCloses) {
    RawTcpClient client(m_server.port());
    ASSERT_TRUE(client.send("GET /api/v1/health HTTP/1.0\r\n\r\n"));
    std::string response = client.read_response(5s);
    EXPECT_TRUE(response.starts_with("HTTP/1.0 200")) << response;
    EXPECT_TRUE(client.closed_within(5s));
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
    RawTcpClient client(m_server.port());
    std::string body = R"({"name":"n","count":2})";
    ASSERT_TRUE(client.send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                            std::string(k_people_token) + "\r\nExpect: 100-continue\r\n" +
                            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
    EXPECT_EQ(status_of(client.read_response(5s)), 100);
    ASSERT_TRUE(client.send(body));
    std::string response = client.read_response(5s);
    EXPECT_EQ(status_of(response), 201) << response;
}

TEST_F(ServerTest, RefusedRequestIsAnsweredBeforeItsBodyIsRead) {
    RawTcpClient client(m_server.port());
    // No token: refused on the header alone, though the 10 MB body never comes.
    ASSERT_TRUE(
        client.send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\n"
                    "Content-Length: 10000000\r\n\r\n{"));
    std::string response = client.read_response(5s);
    EXPECT_EQ(status_of(response), 401) << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
    EXPECT_TRUE(client.closed_within(5s));
}

TEST_F(ServerTest, AfterABurstOfBadRequestsItStillAnswersNormally) {
    std::string auth = "Authorization: Bearer " + std::string(k_people_token) + "\r\n";
    for (int round = 0; round < 40; ++round) {
        {
            RawTcpClient garbage(m_server.port());
            garbage.send(std::string(300, static_cast<char>(round)) + "\r\n\r\n");
        }
        {
            RawTcpClient reset_mid_body(m_server.port());
            reset_mid_body.send("POST /api/v1/things HTTP/1.1\r\nHost: t\r\n" + auth +
                                "Content-Length: 50\r\n\r\n{\"na");
            reset_mid_body.close(/*reset=*/true);
        }
        {
            RawTcpClient half_header(m_server.port());
            half_header.send("GET /api/v1/echo/1 HTTP/1.1\r\nHo");
        }
        (void)m_server.call("POST", "/api/v1/things", "{\"name\":", k_people_token);
        (void)m_server.call("POST", "/api/v1/things", R"({"name":[],"count":{}})");
        (void)m_server.call("GET", "/api/v1/echo/1", "", "wrong");
        (void)m_server.call("GET", "/../../etc/passwd");
        (void)m_server.call("POST", "/api/v1/boom");
    }
    (void)m_server.call("POST", "/api/v1/things", std::string(3 << 20, '{'));

    EXPECT_EQ(call_json("POST", "/api/v1/things", R"({"name":"after","count":5})", 201)["name"],
              "after");
    EXPECT_EQ(metrics().handler_exceptions.load(), 40u);
    // Every bad connection was closed: only the test client's kept-alive one is left.
    EXPECT_TRUE(testing::eventually([&] { return metrics().open_connections.load() <= 1; }))
        << metrics().open_connections.load();
}

TEST(ServerTimeouts, IdleKeptAliveConnectionIsClosed) {
    ServerConfig config = HttpTestServer::fast_config();
    config.idle_timeout = 200ms;
    HttpTestServer server(
        [](Router& router, HttpServer& http) { add_builtin_routes(router, http.metrics()); },
        config);
    RawTcpClient silent(server.port());
    EXPECT_TRUE(silent.closed_within(3s));
    RawTcpClient served(server.port());
    ASSERT_TRUE(served.send("GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(status_of(served.read_response(3s)), 200);
    EXPECT_TRUE(served.closed_within(3s));
}

TEST(ServerStop, ClosesIdleConnectionsAndReturnsPromptly) {
    HttpTestServer server(
        [](Router& router, HttpServer& http) { add_builtin_routes(router, http.metrics()); });
    RawTcpClient idle(server.port());
    RawTcpClient kept(server.port());
    ASSERT_TRUE(kept.send("GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(status_of(kept.read_response(3s)), 200);
    ASSERT_TRUE(
        testing::eventually([&] { return server.server().metrics().open_connections == 2; }));
    auto started = std::chrono::steady_clock::now();
    server.server().stop();
    server.server().join();
    // The grace period (1 s here) was not needed.
    EXPECT_LT(std::chrono::steady_clock::now() - started, 800ms);
    EXPECT_TRUE(idle.closed_within(1s));
    EXPECT_TRUE(kept.closed_within(1s));
}

TEST(BuiltinRoutes, MetricsCanBeOpenAndExtended) {
    Router router;
    HttpMetrics metrics;
    metrics.requests = 7;
    add_builtin_routes(router, metrics,
                       {.open_metrics = true, .extra_metrics = [] { return "farm_tasks 3\n"; }});
    auto match = router.match("GET", "/metrics");
    ASSERT_TRUE(match.route);
    EXPECT_TRUE(match.route->access.anyone);
    Request request;
    auto text = std::get<Response>(match.route->handler(request)).body;
    EXPECT_NE(text.find("spotfarm_http_requests_total 7\n"), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with("farm_tasks 3\n")) << text;
}

TEST(ServerListen, ReportsTheBoundPortAndRefusesATakenOne) {
    Router router;
    Authenticator auth(Tokens{"p-0123456789abcdef", "j-0123456789abcdef"}, "hint");
    HttpServer first({}, router, auth);
    ASSERT_TRUE(first.listen());
    EXPECT_NE(first.port(), 0);
    EXPECT_EQ(first.url(), "http://127.0.0.1:" + std::to_string(first.port()));

    ServerConfig taken;
    taken.port = first.port();
    HttpServer second(taken, router, auth);
    auto listening = second.listen();
    ASSERT_FALSE(listening);
    EXPECT_NE(listening.error().message.find("another port"), std::string::npos)
        << listening.error().message;

    ServerConfig bad_address;
    bad_address.address = "localhost:80";
    auto bad = HttpServer(bad_address, router, auth).listen();
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("not an IP address"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::manager::http
