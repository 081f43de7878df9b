#pragma once
// One client connection of the HTTP server (internal to it). Requests are read one at a time
// (keep-alive); each is routed and authenticated as soon as its header is in, so 404, 401 and 413
// are answered without reading the body. A deferred answer is written when its Responder
// completes; meanwhile the socket is watched so a client that leaves ends the wait.

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <variant>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "manager/http/auth.h"
#include "manager/http/event_stream.h"
#include "manager/http/metrics.h"
#include "manager/http/responder.h"
#include "manager/http/router.h"
#include "manager/http/server.h"

namespace spotfarm::manager::http {

class Session;

// What the connections of one server share; io thread only.
struct ServerShared {
    const ServerConfig& config;
    const Router& router;
    const Authenticator& auth;
    HttpMetrics& metrics;
    std::unordered_set<Session*> sessions;
    // Connections that have made no authenticated request yet, oldest first.
    std::list<Session*> unauthenticated;
    std::size_t closed = 0;  // of `sessions`, those closed whose last handler has yet to run
    bool stopping = false;
    std::function<void()> on_last_closed;      // while stopping: the last connection has gone
    boost::asio::ssl::context* tls = nullptr;  // set: every connection begins with a handshake
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(boost::asio::ip::tcp::socket socket, ServerShared& shared);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start();
    // The server is stopping: close if idle, answer a waiting long-poll with 503; a request in
    // progress is finished and the connection closed after it.
    void stop();
    // Cuts the connection now; a waiting Responder is abandoned.
    void close();
    // Whether the server may cut this connection to make room for a new one: it has made no
    // authenticated request and has sent nothing for `quiet` (nor since its last answer).
    bool sheddable(std::chrono::steady_clock::time_point now,
                   std::chrono::milliseconds quiet) const;

private:
    enum class Phase { idle, reading, handling, waiting, writing, streaming, lingering, closed };
    using PlainStream = boost::beast::tcp_stream;
    using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    // The TCP stream under TLS, or the stream itself: timeouts, the socket, closing.
    boost::beast::tcp_stream& tcp();
    const boost::beast::tcp_stream& tcp() const;
    // Calls `f` with the stream that carries HTTP (the TLS one when there is TLS).
    template <class F>
    void with_stream(F&& f) {
        std::visit(std::forward<F>(f), m_stream);
    }
    void handshake(TlsStream& stream);

    // Leaves ServerShared::unauthenticated (authenticated, or closed).
    void forget_unauthenticated();
    void read_next();
    void read_header();
    void on_header(boost::beast::error_code ec);
    void read_body();
    void on_body(boost::beast::error_code ec);
    // The largest body the matched route takes: its own limit, else the server's.
    std::size_t body_limit() const;
    void handle();
    // The 500 for route code that threw; logged and counted.
    Response internal_error(std::string_view method, std::string_view path, std::string_view doing,
                            std::string_view what);
    void wait_for(Responder responder);
    void watch_peer();
    void on_answer(Response response);
    void send(Response response);
    // Writes `message` (m_response or m_span_response), then on_sent.
    template <class Message>
    void write(Message& message, bool keep_alive);
    void on_sent(boost::beast::error_code ec, bool keep_alive);
    // An event stream: the header now, then the stream's bytes as they come, until it closes.
    void start_stream(Response response);
    void pump_stream();
    void write_stream();
    void watch_stream_peer();
    // The stream's connection is over, whichever way.
    void end_stream();
    void linger();
    void drain();
    // Answers a request from its header alone; closes after it if a body is left unread.
    void answer_early(Response response);
    // Answers a request that is broken or too large: the connection closes after it.
    void refuse(Response response);

    ServerShared& m_shared;
    std::variant<PlainStream, TlsStream> m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
    boost::beast::http::response<boost::beast::http::string_body> m_response;
    // A response whose body is a shared buffer (Response::shared_body), and that buffer.
    boost::beast::http::response<boost::beast::http::span_body<const char>> m_span_response;
    std::shared_ptr<const std::string> m_span_bytes;
    std::shared_ptr<EventStream> m_event_stream;
    std::string m_stream_out;  // bytes of the stream being written
    bool m_stream_writing = false;
    Phase m_phase = Phase::idle;
    const Route* m_route = nullptr;
    Fields m_params;
    Identity m_identity;
    bool m_request_keep_alive = true;
    unsigned m_request_version = 11;
    Responder m_waiting;
    bool m_counted_waiting = false;
    // Its place in ServerShared::unauthenticated, until a request proves who it is.
    std::optional<std::list<Session*>::iterator> m_unauthenticated;
    std::chrono::steady_clock::time_point m_idle_since;  // when it began waiting for a request
};

}  // namespace spotfarm::manager::http
