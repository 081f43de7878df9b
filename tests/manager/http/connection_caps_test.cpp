// Sockets opened without a token cannot exhaust the manager: they must send within the
// first-byte timeout, and a crowd of them gives way to new connections, while connections that
// proved who they are stay.
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "manager/http/builtin_routes.h"
#include "manager/http/server.h"
#include "support/http_test_server.h"
#include "support/raw_tcp_client.h"

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;
using testing::HttpTestServer;
using testing::RawTcpClient;
using testing::status_of;

void add_routes(Router& router, HttpServer& server) {
    add_builtin_routes(router, server.metrics());
}

std::string people_request(std::string_view path) {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
           std::string(testing::k_people_token) + "\r\n\r\n";
}

TEST(ConnectionCaps, ASocketThatSendsNothingIsClosedAfterTheFirstByteTimeout) {
    ServerConfig config = HttpTestServer::fast_config();
    config.idle_timeout = 60s;
    config.first_byte_timeout = 300ms;
    HttpTestServer server(add_routes, config);
    RawTcpClient silent(server.port());
    auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(silent.closed_within(3s));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);

    // A connection that authenticated is kept alive for the idle timeout instead.
    RawTcpClient worker(server.port());
    ASSERT_TRUE(worker.send(people_request("/metrics")));
    EXPECT_EQ(status_of(worker.read_response(3s)), 200);
    EXPECT_FALSE(worker.closed_within(1s));
}

TEST(ConnectionCaps, ManyIdleSocketsGiveWayAndHealthStillAnswers) {
    ServerConfig config = HttpTestServer::fast_config();
    config.idle_timeout = 60s;
    config.first_byte_timeout = 60s;
    config.max_unauthenticated = 16;
    HttpTestServer server(add_routes, config);
    const auto& metrics = server.server().metrics();

    RawTcpClient worker(server.port());
    ASSERT_TRUE(worker.send(people_request("/metrics")));
    ASSERT_EQ(status_of(worker.read_response(3s)), 200);

    std::vector<std::unique_ptr<RawTcpClient>> idle;
    for (int i = 0; i < 300; ++i) {
        idle.push_back(std::make_unique<RawTcpClient>(server.port()));
        ASSERT_TRUE(idle.back()->connected()) << i;
    }
    // They count as quiet after a second; the next connection pushes the crowd out.
    std::this_thread::sleep_for(1100ms);
    auto health = server.call("GET", "/api/v1/health", "", "");
    ASSERT_TRUE(health) << health.error().message;
    EXPECT_EQ(health->status, 200);
    EXPECT_TRUE(testing::eventually([&] { return metrics.open_connections.load() <= 18; }))
        << metrics.open_connections.load() << " connections open";
    EXPECT_GE(metrics.connections_shed.load(), 280u);
    EXPECT_TRUE(idle.front()->closed_within(5s));

    // The worker's connection was not among them.
    ASSERT_TRUE(worker.send(people_request("/metrics")));
    EXPECT_EQ(status_of(worker.read_response(3s)), 200);
}

TEST(ConnectionCaps, BeyondTheCapOnAllConnectionsANewOneIsRefused) {
    ServerConfig config = HttpTestServer::fast_config();
    config.idle_timeout = 60s;
    config.max_connections = 4;
    HttpTestServer server(add_routes, config);
    std::vector<std::unique_ptr<RawTcpClient>> workers;
    for (int i = 0; i < 4; ++i) {
        workers.push_back(std::make_unique<RawTcpClient>(server.port()));
        ASSERT_TRUE(workers.back()->send(people_request("/metrics")));
        ASSERT_EQ(status_of(workers.back()->read_response(3s)), 200) << i;
    }
    RawTcpClient extra(server.port());
    EXPECT_TRUE(extra.closed_within(2s));
    EXPECT_EQ(server.server().metrics().connections_shed.load(), 1u);
    workers.front()->close();
    EXPECT_TRUE(testing::eventually(
        [&] { return server.server().metrics().open_connections.load() == 3; }));
    auto health = server.call("GET", "/api/v1/health", "", "");
    ASSERT_TRUE(health) << health.error().message;
    EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace spotfarm::manager::http
