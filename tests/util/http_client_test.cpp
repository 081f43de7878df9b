#include "util/http_client.h"

#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using namespace std::chrono_literals;

// A loopback HTTP server of a few lines: it records each request it reads and answers with a
// canned response, or stays silent.
class CannedServer {
public:
    explicit CannedServer(std::string response, bool silent = false)
        : m_response(std::move(response)), m_silent(silent) {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listen, 8);
        socklen_t size = sizeof address;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &size);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~CannedServer() {
        m_done = true;
        ::shutdown(m_listen, SHUT_RDWR);
        m_thread.join();
        ::close(m_listen);
    }

    std::string url(std::string_view path) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
    }
    std::vector<std::string> requests() {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    int connections() const { return m_connections; }

private:
    void serve() {
        while (!m_done) {
            pollfd waiting{m_listen, POLLIN, 0};
            if (::poll(&waiting, 1, 50) <= 0) continue;
            int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0) continue;
            ++m_connections;
            std::string buffer;
            while (!m_done) {
                std::string request = read_request(fd, buffer);
                if (request.empty()) break;
                {
                    std::lock_guard lock(m_mutex);
                    m_requests.push_back(request);
                }
                if (!m_silent) ::send(fd, m_response.data(), m_response.size(), MSG_NOSIGNAL);
            }
            ::close(fd);
        }
    }
    std::string read_request(int fd, std::string& buffer) {
        while (true) {
            std::size_t end = buffer.find("\r\n\r\n");
            if (end != std::string::npos) {
                std::size_t length = 0;
                if (auto at = buffer.find("Content-Length: ");
                    at != std::string::npos && at < end) {
                    length = std::stoul(buffer.substr(at + 16));
                }
                if (buffer.size() >= end + 4 + length) {
                    std::string request = buffer.substr(0, end + 4 + length);
                    buffer.erase(0, end + 4 + length);
                    return request;
                }
            }
            pollfd waiting{fd, POLLIN, 0};
            if (::poll(&waiting, 1, 50) <= 0) {
                if (m_done) return {};
                continue;
            }
            char chunk[4096];
            ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) return {};
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    std::string m_response;
    bool m_silent;
    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_done{false};
    std::atomic<int> m_connections{0};
    std::mutex m_mutex;
    std::vector<std::string> m_requests;
    std::thread m_thread;
};

TEST(CurlHttpClient, SendsMethodHeadersAndBodyAndReadsTheAnswer) {
    CannedServer server(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        "X-Thing: a b \r\nContent-Length: 11\r\n\r\n{\"id\": 42}\n");
    CurlHttpClient client;
    HttpRequest request;
    request.method = "POST";
    request.url = server.url("/api/v1/jobs?x=1");
    request.headers = {{"Authorization", "Bearer abc"}, {"Content-Type", "application/json"}};
    request.body = R"({"frames":"1-10"})";
    auto response = client.send(request);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->body, "{\"id\": 42}\n");
    EXPECT_EQ(find_header(response->headers, "x-thing"), "a b");
    EXPECT_EQ(find_header(response->headers, "content-type"), "application/json");
    EXPECT_FALSE(find_header(response->headers, "missing"));

    auto seen = server.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(seen[0].starts_with("POST /api/v1/jobs?x=1 HTTP/1.1\r\n")) << seen[0];
    EXPECT_NE(seen[0].find("Authorization: Bearer abc\r\n"), std::string::npos);
    EXPECT_NE(seen[0].find("\r\n\r\n{\"frames\":\"1-10\"}"), std::string::npos);
    EXPECT_EQ(seen[0].find("Expect:"), std::string::npos);
}

TEST(CurlHttpClient, ErrorStatusesAreResponsesNotErrors) {
    CannedServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
    CurlHttpClient client;
    auto response = client.send({.method = "DELETE", .url = server.url("/x")});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 404);
    EXPECT_TRUE(server.requests().at(0).starts_with("DELETE /x HTTP/1.1"));
}

TEST(CurlHttpClient, RawBodyGetsNoMadeUpContentType) {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    CurlHttpClient client;
    ASSERT_TRUE(client.send({.method = "PUT", .url = server.url("/blob"), .body = "raw bytes"}));
    std::string seen = server.requests().at(0);
    EXPECT_EQ(seen.find("Content-Type"), std::string::npos) << seen;
    EXPECT_NE(seen.find("raw bytes"), std::string::npos);
}

TEST(CurlHttpClient, ReusesTheConnection) {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    CurlHttpClient client;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.send({.url = server.url("/")}));
    EXPECT_EQ(server.requests().size(), 3u);
    EXPECT_EQ(server.connections(), 1);
}

TEST(CurlHttpClient, RefusedConnectionIsAnErrorNamingTheUrl) {
    std::uint16_t port;
    {
        CannedServer closed("");
        port = static_cast<std::uint16_t>(std::stoi(closed.url("").substr(17)));
    }
    CurlHttpClient client;
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/health";
    auto response = client.send({.url = url, .timeout = 5s});
    ASSERT_FALSE(response);
    EXPECT_NE(response.error().message.find(url), std::string::npos) << response.error().message;
    EXPECT_NE(response.error().message.find("is the server running"), std::string::npos)
        << response.error().message;
}

TEST(CurlHttpClient, SilentServerTimesOutWithAClearMessage) {
    CannedServer server("", /*silent=*/true);
    CurlHttpClient client;
    auto started = std::chrono::steady_clock::now();
    auto response = client.send({.url = server.url("/slow"), .timeout = 200ms});
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(response);
    EXPECT_NE(response.error().message.find("no complete answer within 200 ms"), std::string::npos)
        << response.error().message;
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 5s);
}

TEST(CurlHttpClient, MalformedUrlIsAnError) {
    CurlHttpClient client;
    auto response = client.send({.url = "not a url"});
    ASSERT_FALSE(response);
    EXPECT_NE(response.error().message.find("not a url"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::util
