#include "manager/http/session.h"

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "util/percent_encoding.h"

namespace spotfarm::manager::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;

constexpr std::size_t k_read_chunk = 4096;
// A buffer that grew for a large body is given back once empty, so idle connections stay small.
constexpr std::size_t k_keep_buffer_bytes = 64 << 10;
// After an error answer, the client's unread bytes are drained this long before closing, so that
// closing does not reset the connection before the client read the answer.
constexpr std::chrono::seconds k_linger{2};
constexpr std::string_view k_continue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string describe_size(std::size_t bytes) {
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1 << 10) && bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

bool is_disconnect(const beast::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
           ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == beast::error::timeout ||
           ec == asio::error::operation_aborted || ec == asio::ssl::error::stream_truncated;
}

Response too_large(std::size_t limit, std::optional<std::uint64_t> length) {
    std::string size = length ? std::to_string(*length) + " bytes" : "larger than that";
    return error_response(
        413, "body_too_large",
        "the request body is " + size + "; this endpoint takes at most " + describe_size(limit));
}

// The stream of a new connection: TLS over TCP when the server has a certificate.
std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> make_stream(
    asio::ip::tcp::socket socket, asio::ssl::context* tls) {
    using Tls = beast::ssl_stream<beast::tcp_stream>;
    if (tls)
        return std::variant<beast::tcp_stream, Tls>(std::in_place_type<Tls>, std::move(socket),
                                                    *tls);
    return std::variant<beast::tcp_stream, Tls>(std::in_place_type<beast::tcp_stream>,
                                                std::move(socket));
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, ServerShared& shared)
    : m_shared(shared), m_stream(make_stream(std::move(socket), shared.tls)) {
    m_shared.metrics.open_connections.fetch_add(1, std::memory_order_relaxed);
}

Session::~Session() {
    end_stream();
    m_shared.metrics.open_connections.fetch_sub(1, std::memory_order_relaxed);
    if (m_counted_waiting) m_shared.metrics.waiting_responses.fetch_sub(1);
    forget_unauthenticated();
    if (m_phase == Phase::closed) --m_shared.closed;
    m_shared.sessions.erase(this);
    if (m_shared.stopping && m_shared.sessions.empty() && m_shared.on_last_closed) {
        m_shared.on_last_closed();
    }
}

beast::tcp_stream& Session::tcp() {
    return std::visit(
        [](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); },
        m_stream);
}

const beast::tcp_stream& Session::tcp() const {
    return std::visit(
        [](const auto& stream) -> const beast::tcp_stream& {
            return beast::get_lowest_layer(stream);
        },
        m_stream);
}

void Session::start() {
    m_shared.sessions.insert(this);
    m_unauthenticated = m_shared.unauthenticated.insert(m_shared.unauthenticated.end(), this);
    if (auto* tls = std::get_if<TlsStream>(&m_stream)) return handshake(*tls);
    read_next();
}

void Session::handshake(TlsStream& stream) {
    // Counted as the wait for a first byte: a socket that never finishes its handshake is one
    // of the idle strangers the caps are for.
    m_idle_since = std::chrono::steady_clock::now();
    tcp().expires_after(m_shared.config.first_byte_timeout);
    stream.async_handshake(asio::ssl::stream_base::server,
                           [self = shared_from_this()](beast::error_code ec) {
                               if (self->m_phase != Phase::idle) return;
                               if (ec) {
                                   spdlog::debug("a TLS handshake failed: {}", ec.message());
                                   return self->close();
                               }
                               self->read_next();
                           });
}

void Session::forget_unauthenticated() {
    if (!m_unauthenticated) return;
    m_shared.unauthenticated.erase(*m_unauthenticated);
    m_unauthenticated.reset();
}

bool Session::sheddable(std::chrono::steady_clock::time_point now,
                        std::chrono::milliseconds quiet) const {
    if (!m_unauthenticated || m_phase != Phase::idle || now - m_idle_since < quiet) return false;
    // Bytes already here are a request on its way (its handler has not run yet).
    beast::error_code ec;
    return tcp().socket().available(ec) == 0 && !ec;
}

void Session::stop() {
    switch (m_phase) {
        case Phase::idle:
            close();
            break;
        case Phase::waiting: {
            Response response = error_response(
                503, "shutting_down", "the manager is shutting down; try again once it is back");
            response.headers.emplace_back("Retry-After", "5");
            m_waiting.complete(std::move(response));
            break;
        }
        case Phase::streaming:
            close();
            break;
        default:
            break;  // finishes the exchange, then closes because the server is stopping
    }
}

void Session::close() {
    if (m_phase == Phase::closed) return;
    m_phase = Phase::closed;
    ++m_shared.closed;
    forget_unauthenticated();
    if (m_counted_waiting) {
        m_counted_waiting = false;
        m_shared.metrics.waiting_responses.fetch_sub(1);
    }
    Responder waiting = std::move(m_waiting);
    m_waiting = Responder();
    waiting.abandon();
    end_stream();
    beast::error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().close();
}

void Session::read_next() {
    if (m_shared.stopping) return close();
    m_phase = Phase::idle;
    m_parser.reset();
    if (m_buffer.size() > 0) return read_header();  // the client sent the next request already
    if (m_buffer.capacity() > k_keep_buffer_bytes) m_buffer.shrink_to_fit();
    m_idle_since = std::chrono::steady_clock::now();
    // A connection that never proved who it is gets little time: idle sockets opened without a
    // token must not pile up.
    const auto& config = m_shared.config;
    tcp().expires_after(m_unauthenticated ? std::min(config.first_byte_timeout, config.idle_timeout)
                                          : config.idle_timeout);
    with_stream([this](auto& stream) {
        stream.async_read_some(
            m_buffer.prepare(k_read_chunk),
            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                if (self->m_phase != Phase::idle) return;
                if (ec) return self->close();
                self->m_buffer.commit(bytes);
                self->read_header();
            });
    });
}

void Session::read_header() {
    m_phase = Phase::reading;
    m_request_keep_alive = false;  // until a header says otherwise
    m_request_version = 11;
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(m_shared.config.max_header_bytes));
    m_parser->body_limit(boost::none);  // set per route once the header says which
    tcp().expires_after(m_shared.config.request_timeout);
    with_stream([this](auto& stream) {
        bhttp::async_read_header(stream, m_buffer, *m_parser,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    });
}

void Session::on_header(beast::error_code ec) {
    if (m_phase != Phase::reading) return;
    if (ec == bhttp::error::header_limit) {
        return refuse(error_response(431, "headers_too_large",
                                     "the request line and headers take more than " +
                                         describe_size(m_shared.config.max_header_bytes)));
    }
    if (is_disconnect(ec)) return close();  // gone, or too slow: nobody to answer
    if (ec) {
        return refuse(error_response(400, "bad_request",
                                     "the request is not valid HTTP/1.1 (" + ec.message() + ")"));
    }
    m_shared.metrics.requests.fetch_add(1, std::memory_order_relaxed);
    const auto& header = m_parser->get();
    m_request_keep_alive = header.keep_alive();
    m_request_version = header.version();
    std::string_view target = header.target();
    std::string_view path = target.substr(0, target.find('?'));
    Router::Match match = m_shared.router.match(header.method_string(), path);
    if (match.answer) return answer_early(std::move(*match.answer));

    auto field = [&header](bhttp::field name) -> std::optional<std::string_view> {
        auto it = header.find(name);
        if (it == header.end()) return std::nullopt;
        return it->value();
    };
    Credentials credentials;
    credentials.authorization = field(bhttp::field::authorization);
    credentials.cookie = field(bhttp::field::cookie);
    credentials.method = header.method_string();
    credentials.origin.origin = field(bhttp::field::origin);
    credentials.origin.host = field(bhttp::field::host);
    if (auto it = header.find("Sec-Fetch-Site"); it != header.end()) {
        credentials.origin.sec_fetch_site = it->value();
    }
    std::variant<Identity, Response> identity;
    try {
        identity = m_shared.auth.authenticate(credentials, match.route->access, match.params);
    } catch (const std::exception& e) {
        // The worker lookup is the farm's code, and may throw (a store error).
        identity = internal_error(header.method_string(), path, "authenticating", e.what());
    }
    if (auto* refusal = std::get_if<Response>(&identity)) return answer_early(std::move(*refusal));
    m_identity = std::get<Identity>(std::move(identity));
    if (m_identity.principal != Principal::anonymous) forget_unauthenticated();
    m_route = match.route;
    m_params = std::move(match.params);

    const std::size_t limit = body_limit();
    if (auto length = m_parser->content_length(); length && *length > limit) {
        return refuse(too_large(limit, *length));
    }
    m_parser->body_limit(limit);
    if (m_parser->is_done()) return handle();

    auto expect = header.find(bhttp::field::expect);
    if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
        tcp().expires_after(m_shared.config.write_timeout);
        with_stream([this](auto& stream) {
            asio::async_write(stream, asio::buffer(k_continue.data(), k_continue.size()),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (self->m_phase != Phase::reading) return;
                                  if (ec) return self->close();
                                  self->read_body();
                              });
        });
        return;
    }
    read_body();
}

void Session::read_body() {
    const auto own = m_route->options.body_timeout;
    tcp().expires_after(own.count() > 0 ? own : m_shared.config.request_timeout);
    with_stream([this](auto& stream) {
        bhttp::async_read(
            stream, m_buffer, *m_parser,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
    });
}

void Session::on_body(beast::error_code ec) {
    if (m_phase != Phase::reading) return;
    if (ec == bhttp::error::body_limit) return refuse(too_large(body_limit(), std::nullopt));
    if (is_disconnect(ec)) return close();
    if (ec) {
        return refuse(error_response(
            400, "bad_request", "the request body is not valid HTTP/1.1 (" + ec.message() + ")"));
    }
    handle();
}

std::size_t Session::body_limit() const {
    return m_route->options.max_body_bytes ? m_route->options.max_body_bytes
                                           : m_shared.config.max_body_bytes;
}

void Session::handle() {
    m_phase = Phase::handling;
    auto& message = m_parser->get();
    Request request;
    request.method = std::string(message.method_string());
    std::string_view target = message.target();
    std::size_t question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
        request.query = util::parse_query(target.substr(question + 1));
    request.params = std::move(m_params);
    for (const auto& field : message) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.principal = m_identity.principal;
    request.worker_id = std::move(m_identity.worker_id);
    request.executor = tcp().get_executor();
    m_parser.reset();  // a long wait should not hold the request's memory

    Reply reply;
    try {
        reply = m_route->handler(request);
    } catch (const std::exception& e) {
        reply = internal_error(request.method, request.path, "handling", e.what());
    } catch (...) {
        reply = internal_error(request.method, request.path, "handling", "unknown exception");
    }
    if (auto* later = std::get_if<Responder>(&reply)) return wait_for(std::move(*later));
    send(std::get<Response>(std::move(reply)));
}

Response Session::internal_error(std::string_view method, std::string_view path,
                                 std::string_view doing, std::string_view what) {
    m_shared.metrics.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("{} {} failed while {}: {}", method, path, doing, what);
    return error_response(500, "internal_error",
                          fmt::format("the manager failed while {} {} {}: {} (it keeps running; "
                                      "its log has the details)",
                                      doing, method, path, what));
}

void Session::wait_for(Responder responder) {
    m_phase = Phase::waiting;
    m_counted_waiting = true;
    m_shared.metrics.waiting_responses.fetch_add(1);
    m_waiting = responder;
    responder.attach([weak = weak_from_this()](Response response) {
        if (auto self = weak.lock()) self->on_answer(std::move(response));
    });
    if (m_phase != Phase::waiting) return;  // answered at once
    if (responder.done()) {
        // Abandoned or dropped without an answer: the client still deserves one.
        return on_answer(error_response(500, "internal_error",
                                        "the handler gave up on this request without an answer"));
    }
    if (m_shared.stopping) return stop();
    watch_peer();
}

void Session::watch_peer() {
    tcp().socket().async_wait(
        asio::ip::tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
            if (self->m_phase != Phase::waiting || ec == asio::error::operation_aborted) return;
            beast::error_code available_ec;
            std::size_t available = self->tcp().socket().available(available_ec);
            if (ec || available_ec || available == 0) {
                spdlog::debug("a client left while waiting for a deferred answer");
                return self->close();
            }
            // Bytes of a pipelined request: left for later; the Responder's timeout bounds the
            // wait even though a departure can no longer be seen.
        });
}

void Session::on_answer(Response response) {
    if (m_phase != Phase::waiting) return;
    m_counted_waiting = false;
    m_shared.metrics.waiting_responses.fetch_sub(1);
    m_waiting = Responder();
    beast::error_code ignored;
    tcp().socket().cancel(ignored);  // ends watch_peer's wait
    send(std::move(response));
}

void Session::answer_early(Response response) {
    // An unread body is still on its way: no later request could be found in the stream.
    if (!m_parser->is_done()) response.close = true;
    send(std::move(response));
}

void Session::refuse(Response response) {
    response.close = true;
    send(std::move(response));
}

void Session::send(Response response) {
    if (response.stream) return start_stream(std::move(response));
    m_phase = Phase::writing;
    bool keep_alive = !response.close && !m_shared.stopping && m_request_keep_alive;
    m_shared.metrics.count_response(response.status);

    auto head = [&](auto& message) {
        message = {};
        message.version(m_request_version);
        message.result(static_cast<unsigned>(response.status));
        message.set(bhttp::field::server, "spotfarm/" SPOTFARM_VERSION);
        if (!response.content_type.empty()) {
            message.set(bhttp::field::content_type, response.content_type);
            if (response.content_type == "application/json") {
                message.set(bhttp::field::cache_control, "no-store");
            }
        }
        for (auto& [name, value] : response.headers) message.insert(name, value);
        message.keep_alive(keep_alive);
    };
    if (response.shared_body) {
        head(m_span_response);
        m_span_bytes = std::move(response.shared_body);
        m_span_response.body() = {m_span_bytes->data(), m_span_bytes->size()};
        m_span_response.prepare_payload();
        return write(m_span_response, keep_alive);
    }
    head(m_response);
    m_response.body() = std::move(response.body);
    m_response.prepare_payload();
    write(m_response, keep_alive);
}

template <class Message>
void Session::write(Message& message, bool keep_alive) {
    tcp().expires_after(m_shared.config.write_timeout);
    with_stream([&](auto& stream) {
        bhttp::async_write(
            stream, message,
            [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                self->on_sent(ec, keep_alive);
            });
    });
}

void Session::on_sent(beast::error_code ec, bool keep_alive) {
    if (m_phase != Phase::writing) return;
    m_response = {};
    m_span_response = {};
    m_span_bytes.reset();
    if (ec) return close();
    if (!keep_alive) return linger();
    read_next();
}

void Session::start_stream(Response response) {
    m_phase = Phase::streaming;
    m_shared.metrics.count_response(response.status);
    m_event_stream = std::move(response.stream);
    // No length and no chunking: the body ends when the connection does (HTTP/1.1 allows it,
    // and EventSource reads it as it comes).
    std::string head = fmt::format("HTTP/1.{} {} OK\r\nServer: spotfarm/" SPOTFARM_VERSION "\r\n",
                                   m_request_version == 10 ? 0 : 1, response.status);
    head += "Content-Type: " + response.content_type + "\r\n";
    for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
    head += "Connection: close\r\n\r\n";
    head += m_event_stream->take();
    m_stream_out = std::move(head);
    m_event_stream->set_wake([weak = weak_from_this()] {
        if (auto self = weak.lock()) self->pump_stream();
    });
    watch_stream_peer();
    write_stream();
}

void Session::pump_stream() {
    if (m_phase != Phase::streaming || m_stream_writing) return;
    std::string more = m_event_stream->take();
    if (!more.empty()) {
        m_stream_out = std::move(more);
        return write_stream();
    }
    if (m_event_stream->closing()) {
        end_stream();
        linger();
    }
}

void Session::write_stream() {
    m_stream_writing = true;
    tcp().expires_after(m_shared.config.write_timeout);
    with_stream([this](auto& stream) {
        asio::async_write(stream, asio::buffer(m_stream_out),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->m_stream_writing = false;
                              if (self->m_phase != Phase::streaming) return;
                              if (ec) return self->close();
                              self->tcp().expires_never();
                              self->m_stream_out.clear();
                              self->pump_stream();
                          });
    });
}

void Session::watch_stream_peer() {
    // An event stream's client sends nothing: anything readable means it left (or misbehaves).
    tcp().socket().async_wait(
        asio::ip::tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
            if (self->m_phase != Phase::streaming || ec == asio::error::operation_aborted) return;
            spdlog::debug("an event stream's client left");
            self->close();
        });
}

void Session::end_stream() {
    if (!m_event_stream) return;
    auto stream = std::move(m_event_stream);
    m_event_stream.reset();
    stream->finish();
}

void Session::linger() {
    m_phase = Phase::lingering;
    m_parser.reset();
    beast::error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    tcp().expires_after(k_linger);  // for the whole drain, however slowly bytes trickle in
    drain();
}

void Session::drain() {
    m_buffer.clear();
    with_stream([this](auto& stream) {
        stream.async_read_some(m_buffer.prepare(k_read_chunk),
                               [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                   if (self->m_phase != Phase::lingering) return;
                                   if (ec) return self->close();
                                   self->drain();
                               });
    });
}

}  // namespace spotfarm::manager::http
