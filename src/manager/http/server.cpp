#include "manager/http/server.h"

#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "manager/http/session.h"
#include "util/fd_limit.h"

namespace spotfarm::manager::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Accepting again at once after "too many open files" would spin; this gives connections time
// to close.
constexpr std::chrono::milliseconds k_accept_retry{100};
constexpr std::chrono::seconds k_accept_warning_every{10};
// How long an unauthenticated connection must have sent nothing before it may be closed to make
// room for a new one.
constexpr std::chrono::milliseconds k_quiet_before_shed{1000};
// Descriptors kept out of max_connections for everything else the process opens.
constexpr std::uint64_t k_spare_descriptors = 64;

}  // namespace

struct HttpServer::Listener {
    explicit Listener(asio::io_context& io) : acceptor(io), retry_timer(io), grace_timer(io) {}
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;
    asio::steady_timer grace_timer;
    bool stop_finished = false;
    std::chrono::steady_clock::time_point last_accept_warning{};
};

HttpServer::HttpServer(ServerConfig config, const Router& router, const Authenticator& auth)
    : m_config(std::move(config)),
      m_shared(std::make_unique<ServerShared>(ServerShared{m_config, router, auth, m_metrics})),
      m_listener(std::make_unique<Listener>(m_io)) {}

HttpServer::~HttpServer() {
    if (m_thread.joinable()) {
        stop();
        m_thread.join();
    }
    // Connections still owned by pending handlers die with m_io; they must not call back into a
    // server that is going away.
    m_shared->on_last_closed = nullptr;
    m_shared->stopping = true;
}

util::Status HttpServer::load_tls() {
    const bool cert = !m_config.tls_cert_file.empty();
    const bool key = !m_config.tls_key_file.empty();
    if (!cert && !key) return {};
    if (cert != key) {
        return util::make_error(
            "TLS needs both a certificate and its private key (--tls-cert and "
            "--tls-key); only one was given",
            util::ErrorKind::invalid);
    }
    namespace ssl = asio::ssl;
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    boost::system::error_code ec;
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1,
                         ec);
    if (context->use_certificate_chain_file(m_config.tls_cert_file, ec); ec) {
        return util::make_error("cannot use '" + m_config.tls_cert_file +
                                    "' as the TLS certificate: " + ec.message() +
                                    " (it must be a readable PEM certificate)",
                                util::ErrorKind::invalid);
    }
    if (context->use_private_key_file(m_config.tls_key_file, ssl::context::pem, ec); ec) {
        return util::make_error("cannot use '" + m_config.tls_key_file +
                                    "' as the TLS private key: " + ec.message() +
                                    " (it must be a readable PEM key that belongs to the "
                                    "certificate)",
                                util::ErrorKind::invalid);
    }
    m_tls = std::move(context);
    m_shared->tls = m_tls.get();
    return {};
}

util::Status HttpServer::listen() {
    if (m_listener->acceptor.is_open()) return {};
    if (auto loaded = load_tls(); !loaded) return loaded;
    boost::system::error_code ec;
    auto address = asio::ip::make_address(m_config.address, ec);
    if (ec) {
        return util::make_error("'" + m_config.address +
                                "' is not an IP address to listen on (such as 127.0.0.1 or "
                                "0.0.0.0)");
    }
    tcp::endpoint endpoint(address, m_config.port);
    auto& acceptor = m_listener->acceptor;
    std::string where = m_config.address + ":" + std::to_string(m_config.port);
    if (acceptor.open(endpoint.protocol(), ec); ec) {
        return util::make_error("cannot open a socket to listen on " + where + ": " + ec.message());
    }
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor.bind(endpoint, ec); ec) {
        acceptor.close();
        return util::make_error("cannot listen on " + where + ": " + ec.message() +
                                (ec == asio::error::address_in_use
                                     ? " (is another manager running? choose another port)"
                                     : ""));
    }
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
        acceptor.close();
        return util::make_error("cannot listen on " + where + ": " + ec.message());
    }
    m_port = acceptor.local_endpoint().port();
    // Every connection is a descriptor; the database, logs and timers need some more.
    if (auto limit = util::fd_limit(); limit && limit->soft > 2 * k_spare_descriptors) {
        m_config.max_connections = static_cast<std::size_t>(
            std::min<std::uint64_t>(m_config.max_connections, limit->soft - k_spare_descriptors));
    }
    accept();
    return {};
}

std::string HttpServer::url() const {
    bool v6 = m_config.address.find(':') != std::string::npos;
    std::string host = v6 ? "[" + m_config.address + "]" : m_config.address;
    return (m_tls ? "https://" : "http://") + host + ":" + std::to_string(m_port);
}

void HttpServer::accept() {
    m_listener->acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (m_shared->stopping || ec == asio::error::operation_aborted) return;
        if (ec) {
            auto now = std::chrono::steady_clock::now();
            if (now - m_listener->last_accept_warning > k_accept_warning_every) {
                m_listener->last_accept_warning = now;
                spdlog::warn("cannot accept a connection: {}{}", ec.message(),
                             ec == asio::error::no_descriptors
                                 ? " (raise the open-file limit, `ulimit -n`, for more workers)"
                                 : "");
            }
            m_listener->retry_timer.expires_after(k_accept_retry);
            m_listener->retry_timer.async_wait([this](boost::system::error_code timer_ec) {
                if (!timer_ec && !m_shared->stopping) accept();
            });
            return;
        }
        m_metrics.connections_accepted.fetch_add(1, std::memory_order_relaxed);
        boost::system::error_code ignored;
        if (!make_room()) {
            m_metrics.connections_shed.fetch_add(1, std::memory_order_relaxed);
            socket.close(ignored);
            return accept();
        }
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), *m_shared)->start();
        accept();
    });
}

bool HttpServer::make_room() {
    // A legitimate client sends its request as soon as it connected; one quiet for this long
    // (or for the first-byte timeout, if shorter) is no longer on its way.
    const auto quiet =
        std::min<std::chrono::milliseconds>(k_quiet_before_shed, m_config.first_byte_timeout);
    const auto now = std::chrono::steady_clock::now();
    auto& strangers = m_shared->unauthenticated;
    // Down to one under each cap, oldest first, so that a crowd of idle sockets gives way.
    auto open = [&] { return m_shared->sessions.size() - m_shared->closed; };
    auto over_caps = [&] {
        return open() >= m_config.max_connections ||
               strangers.size() >= m_config.max_unauthenticated;
    };
    for (auto it = strangers.begin(); it != strangers.end() && over_caps();) {
        Session* session = *it++;  // close() takes the session out of the list
        if (!session->sheddable(now, quiet)) continue;
        auto keep = session->shared_from_this();
        session->close();
        m_metrics.connections_shed.fetch_add(1, std::memory_order_relaxed);
    }
    // Strangers still sending their request may exceed their cap for a moment (the request
    // timeout ends them); the connections as a whole may not.
    return open() < m_config.max_connections;
}

void HttpServer::run() {
    // A handler's exception is caught in the session; anything else escaping is logged and the
    // loop goes on, so one bad request cannot take the manager down.
    while (true) {
        try {
            m_io.run();
            return;
        } catch (const std::exception& e) {
            spdlog::error("the HTTP server's loop caught an exception and goes on: {}", e.what());
        }
    }
}

util::Status HttpServer::start() {
    if (auto listening = listen(); !listening) return listening;
    if (m_thread.joinable()) return {};
    m_thread = std::thread([this] { run(); });
    return {};
}

void HttpServer::stop() {
    asio::post(m_io, [this] { begin_stop(); });
}

void HttpServer::join() {
    if (m_thread.joinable()) m_thread.join();
}

void HttpServer::begin_stop() {
    if (m_shared->stopping) return;
    m_shared->stopping = true;
    boost::system::error_code ignored;
    m_listener->acceptor.close(ignored);
    m_listener->retry_timer.cancel();
    m_shared->on_last_closed = [this] { finish_stop(); };
    std::vector<std::shared_ptr<Session>> sessions;
    for (Session* session : m_shared->sessions) sessions.push_back(session->shared_from_this());
    for (auto& session : sessions) session->stop();
    sessions.clear();  // may end the last connection, and with it the stop
    if (m_shared->sessions.empty()) return finish_stop();
    m_listener->grace_timer.expires_after(m_config.shutdown_grace);
    m_listener->grace_timer.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        if (!m_shared->sessions.empty()) {
            spdlog::warn(
                "{} connection(s) still busy after the shutdown grace period; cutting them",
                m_shared->sessions.size());
        }
        std::vector<std::shared_ptr<Session>> left;
        for (Session* session : m_shared->sessions) left.push_back(session->shared_from_this());
        for (auto& session : left) session->close();
        finish_stop();
    });
}

void HttpServer::finish_stop() {
    if (m_listener->stop_finished) return;
    m_listener->stop_finished = true;
    m_shared->on_last_closed = nullptr;
    m_listener->grace_timer.cancel();
    m_io.stop();
}

}  // namespace spotfarm::manager::http
