#include "support/http_test_server.h"

#include <stdexcept>
#include <thread>

namespace spotfarm::testing {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

HttpTestServer::HttpTestServer(
    std::function<void(manager::http::Router&, manager::http::HttpServer&)> add_routes,
    manager::http::ServerConfig config)
    : m_auth(manager::http::Tokens{std::string(k_people_token), std::string(k_join_token)},
             std::string(k_token_hint)) {
    m_auth.set_worker_lookup([](std::string_view token) -> std::optional<std::string> {
        if (token == k_throwing_worker_secret) throw std::runtime_error("the store is down");
        if (!token.starts_with(k_worker_secret_prefix)) return std::nullopt;
        return std::string(token.substr(k_worker_secret_prefix.size()));
    });
    m_server = std::make_unique<manager::http::HttpServer>(std::move(config), m_router, m_auth);
    add_routes(m_router, *m_server);
    if (auto started = m_server->start(); !started) {
        throw std::runtime_error("test server did not start: " + started.error().message);
    }
}

HttpTestServer::~HttpTestServer() {
    m_server->stop();
    m_server->join();
}

manager::http::ServerConfig HttpTestServer::fast_config() {
    manager::http::ServerConfig config;
    config.request_timeout = std::chrono::milliseconds(500);
    config.idle_timeout = std::chrono::milliseconds(5000);
    config.write_timeout = std::chrono::milliseconds(2000);
    config.shutdown_grace = std::chrono::milliseconds(1000);
    return config;
}

std::string HttpTestServer::url(std::string_view path) const {
    return m_server->url() + std::string(path);
}

util::Result<util::HttpResponse> HttpTestServer::call(std::string method, std::string_view path,
                                                      std::string body, std::string_view token) {
    util::HttpRequest request;
    request.method = std::move(method);
    request.url = url(path);
    request.body = std::move(body);
    request.timeout = std::chrono::milliseconds(10000);
    if (!token.empty())
        request.headers.emplace_back("Authorization", "Bearer " + std::string(token));
    if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    return m_client.send(request);
}

}  // namespace spotfarm::testing
