#pragma once
// The manager's HTTP/1.1 server: Boost.Beast on one io_context thread. Connections are kept alive;
// a connection waiting for a long-poll answer holds a socket and a small object, never a thread,
// so thousands of idle workers cost no CPU. Requests are answered by a Router; callers are checked
// by an Authenticator.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "manager/http/auth.h"
#include "manager/http/metrics.h"
#include "manager/http/router.h"
#include "util/result.h"

namespace boost::asio::ssl {
class context;
}

namespace spotfarm::manager::http {

struct ServerConfig {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;                   // 0: any free port (see HttpServer::port)
    std::size_t max_body_bytes = 1 << 20;     // per request, unless a route says otherwise
    std::size_t max_header_bytes = 16 << 10;  // request line and headers together
    // A request must arrive whole (header, then body) within this once its first byte came.
    std::chrono::milliseconds request_timeout{15'000};
    // A kept-alive connection with no request for this long is closed.
    std::chrono::milliseconds idle_timeout{120'000};
    // A connection that has made no authenticated request yet is closed when it sends nothing
    // for this long: a new one must send its first byte within it.
    std::chrono::milliseconds first_byte_timeout{10'000};
    // Connections open at once (lowered to what the open-file limit allows). Beyond it, and
    // beyond max_unauthenticated connections that have made no authenticated request yet, a new
    // connection takes the place of the oldest of those that is not being answered; when there
    // is none, it is closed at once. Workers and people with a token are never pushed out by
    // sockets opened without one.
    std::size_t max_connections = 10'000;
    std::size_t max_unauthenticated = 512;
    // A client must take the response within this.
    std::chrono::milliseconds write_timeout{30'000};
    // On stop, connections still busy after this are cut.
    std::chrono::milliseconds shutdown_grace{5'000};
    // PEM files of the certificate (chain) and its private key: both given, the server speaks
    // HTTPS only; both empty, plain HTTP (for loopback and private networks).
    std::string tls_cert_file;
    std::string tls_key_file;
};

struct ServerShared;

class HttpServer {
public:
    // `router` and `auth` must outlive the server and must not change while it runs.
    HttpServer(ServerConfig config, const Router& router, const Authenticator& auth);
    // Stops (as stop()) and waits for the thread of start(); run() must have returned already.
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens; port() is known afterwards. Safe to call twice.
    util::Status listen();
    // The bound port (after listen()).
    std::uint16_t port() const { return m_port; }
    // "http://ADDRESS:PORT" ("https://" with TLS), for clients and messages.
    std::string url() const;

    // Runs the io loop on the calling thread until a stop has finished.
    void run();
    // listen() and run() on a thread of the server's own.
    util::Status start();

    // Graceful stop, from any thread (not from a signal handler: use an asio signal_set): stops
    // accepting, closes idle connections, answers waiting long-polls with 503, lets requests in
    // progress finish (up to shutdown_grace), then makes run() return.
    void stop();
    // Waits for the thread of start() to end.
    void join();

    // The io thread's context, for timers and work that must run beside the handlers.
    boost::asio::io_context& context() { return m_io; }
    boost::asio::any_io_executor executor() { return m_io.get_executor(); }

    const HttpMetrics& metrics() const { return m_metrics; }
    const ServerConfig& config() const { return m_config; }

private:
    struct Listener;

    // Loads the certificate and key of the config into m_tls (nothing without them).
    util::Status load_tls();
    void accept();
    // Closes the oldest unauthenticated connection not being answered when a cap is reached;
    // false when a cap is reached and none can go.
    bool make_room();
    void begin_stop();
    void finish_stop();

    ServerConfig m_config;
    HttpMetrics m_metrics;
    std::uint16_t m_port = 0;
    // Declared before m_io so it outlives it: connections torn down with m_io report to it.
    std::unique_ptr<ServerShared> m_shared;
    // Before m_io: connections torn down with m_io still hold streams made from it.
    std::unique_ptr<boost::asio::ssl::context> m_tls;
    boost::asio::io_context m_io{1};
    // Declared after m_io: its acceptor and timers must go before m_io does.
    std::unique_ptr<Listener> m_listener;
    std::thread m_thread;
};

}  // namespace spotfarm::manager::http
