#include "support/raw_tcp_client.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/ascii.h"

namespace spotfarm::testing {

RawTcpClient::RawTcpClient(std::uint16_t port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) close();
}

RawTcpClient::~RawTcpClient() {
    close();
}

void RawTcpClient::close(bool reset) {
    if (m_fd < 0) return;
    if (reset) {
        linger option{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    }
    ::close(m_fd);
    m_fd = -1;
}

bool RawTcpClient::send(std::string_view bytes) {
    while (m_fd >= 0 && !bytes.empty()) {
        ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return m_fd >= 0;
}

bool RawTcpClient::read_some(std::chrono::milliseconds timeout) {
    if (m_fd < 0) return false;
    pollfd waiting{m_fd, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char chunk[16384];
    ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    m_pending.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::string RawTcpClient::read_response(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto left = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
    };
    std::size_t header_end;
    while ((header_end = m_pending.find("\r\n\r\n")) == std::string::npos) {
        if (left().count() <= 0 || !read_some(left())) return {};
    }
    std::size_t length = 0;
    std::string header = m_pending.substr(0, header_end);
    for (std::size_t at = header.find("\r\n"); at != std::string::npos;
         at = header.find("\r\n", at + 2)) {
        std::string line = header.substr(at + 2, header.find("\r\n", at + 2) - at - 2);
        if (util::to_lower(line).starts_with("content-length:"))
            length = std::strtoul(line.c_str() + 15, nullptr, 10);
    }
    std::size_t total = header_end + 4 + length;
    while (m_pending.size() < total) {
        if (left().count() <= 0 || !read_some(left())) return {};
    }
    std::string response = m_pending.substr(0, total);
    m_pending.erase(0, total);
    return response;
}

std::string RawTcpClient::read_available(std::chrono::milliseconds timeout) {
    if (m_pending.empty()) read_some(timeout);
    return std::exchange(m_pending, std::string());
}

bool RawTcpClient::closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_fd >= 0) {
        auto left = std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  deadline - std::chrono::steady_clock::now())
                                                  .count());
        pollfd waiting{m_fd, POLLIN, 0};
        if (::poll(&waiting, 1, static_cast<int>(left)) > 0) {
            char chunk[4096];
            if (::recv(m_fd, chunk, sizeof chunk, 0) <= 0) return true;
        } else if (left == 0) {
            return false;
        }
    }
    return true;
}

int status_of(std::string_view raw) {
    if (!raw.starts_with("HTTP/1.") || raw.size() < 12) return 0;
    return std::atoi(std::string(raw.substr(9, 3)).c_str());
}

std::string body_of(std::string_view raw) {
    std::size_t end = raw.find("\r\n\r\n");
    return end == std::string_view::npos ? std::string() : std::string(raw.substr(end + 4));
}

}  // namespace spotfarm::testing
