#pragma once
// A real manager HTTP server on 127.0.0.1 with an ephemeral port, run on its own io thread inside
// the test process, with known tokens and short timeouts.

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/post.hpp>

#include "manager/http/auth.h"
#include "manager/http/router.h"
#include "manager/http/server.h"
#include "util/http_client.h"

namespace spotfarm::testing {

inline constexpr std::string_view k_people_token = "people-0123456789abcdef0123456789abcdef";
inline constexpr std::string_view k_join_token = "join-0123456789abcdef0123456789abcdef";
inline constexpr std::string_view k_token_hint = "Find the tokens in the manager's state folder.";
// The test server takes "worker-secret-ID" as the secret of worker ID.
inline constexpr std::string_view k_worker_secret_prefix = "worker-secret-";
// ... and throws on this one, as a failing store would.
inline constexpr std::string_view k_throwing_worker_secret = "worker-lookup-throws";

// Polls `condition` until it holds or `timeout` passes; for states a real server reaches soon.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

class HttpTestServer {
public:
    // Routes are added by `add_routes` once the server exists, before it starts.
    explicit HttpTestServer(
        std::function<void(manager::http::Router&, manager::http::HttpServer&)> add_routes,
        manager::http::ServerConfig config = fast_config());
    ~HttpTestServer();

    static manager::http::ServerConfig fast_config();

    manager::http::HttpServer& server() { return *m_server; }
    manager::http::Authenticator& auth() { return m_auth; }
    std::uint16_t port() const { return m_server->port(); }
    std::string url(std::string_view path) const;

    // Sends a request with the people token (unless `token` says otherwise; "" sends none).
    util::Result<util::HttpResponse> call(std::string method, std::string_view path,
                                          std::string body = "",
                                          std::string_view token = k_people_token);

    // Runs `fn` on the server's io thread and returns its result.
    template <class F>
    auto on_io(F fn) -> std::invoke_result_t<F> {
        std::packaged_task<std::invoke_result_t<F>()> task(std::move(fn));
        auto result = task.get_future();
        boost::asio::post(m_server->executor(), [&task] { task(); });
        return result.get();
    }

private:
    manager::http::Router m_router;
    manager::http::Authenticator m_auth;
    std::unique_ptr<manager::http::HttpServer> m_server;
    util::CurlHttpClient m_client;
};

}  // namespace spotfarm::testing
