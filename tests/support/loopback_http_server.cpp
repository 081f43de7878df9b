#include "support/loopback_http_server.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace spotfarm::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct LoopbackHttpServer::Impl {
    explicit Impl(Handler h)
        : handler(std::move(h)),
          acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        port = acceptor.local_endpoint().port();
        thread = std::thread([this] { serve(); });
    }

    ~Impl() {
        stopping = true;
        // Wake the blocking accept() with a connection of our own.
        boost::system::error_code ec;
        asio::io_context wake_io;
        tcp::socket wake(wake_io);
        wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
        thread.join();
    }

    void serve() {
        while (true) {
            tcp::socket socket(io);
            boost::system::error_code ec;
            acceptor.accept(socket, ec);
            if (stopping) return;
            if (ec) continue;
            // A client that never finishes its request must not hang the test.
            timeval timeout{10, 0};
            ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            answer(socket);
            socket.shutdown(tcp::socket::shutdown_both, ec);
        }
    }

    void answer(tcp::socket& socket) {
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> request;
        boost::system::error_code ec;
        http::read(socket, buffer, request, ec);
        if (ec) return;
        ReceivedRequest received;
        received.method = std::string(request.method_string());
        received.target = std::string(request.target());
        for (const auto& field : request)
            received.headers.emplace_back(std::string(field.name_string()),
                                          std::string(field.value()));
        received.body = request.body();

        util::HttpResponse reply;
        try {
            reply = handler(received);
        } catch (const std::exception& e) {
            reply = util::HttpResponse{500, {}, std::string("test server failed: ") + e.what()};
        }
        http::response<http::string_body> response{http::status(unsigned(reply.status)), 11};
        for (const auto& [name, value] : reply.headers) response.set(name, value);
        response.body() = reply.body;
        response.keep_alive(false);
        response.prepare_payload();
        http::write(socket, response, ec);
    }

    Handler handler;
    asio::io_context io;
    tcp::acceptor acceptor;
    int port = 0;
    std::atomic<bool> stopping{false};
    std::thread thread;
};

LoopbackHttpServer::LoopbackHttpServer(Handler handler)
    : m_impl(std::make_unique<Impl>(std::move(handler))) {}

LoopbackHttpServer::~LoopbackHttpServer() = default;

int LoopbackHttpServer::port() const {
    return m_impl->port;
}

std::string LoopbackHttpServer::url() const {
    return "http://127.0.0.1:" + std::to_string(m_impl->port);
}

}  // namespace spotfarm::testing
