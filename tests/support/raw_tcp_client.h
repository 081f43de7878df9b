#pragma once
// A blocking TCP client on 127.0.0.1 for feeding a server bytes no well-behaved HTTP client sends:
// garbage, half requests, requests that stall, connections that leave mid-way.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace spotfarm::testing {

class RawTcpClient {
public:
    explicit RawTcpClient(std::uint16_t port);
    ~RawTcpClient();
    RawTcpClient(const RawTcpClient&) = delete;
    RawTcpClient& operator=(const RawTcpClient&) = delete;

    bool connected() const { return m_fd >= 0; }
    // Sends every byte; false if the connection failed.
    bool send(std::string_view bytes);
    // One HTTP response (header and Content-Length body); empty if none came whole in time.
    std::string read_response(std::chrono::milliseconds timeout);
    // The bytes that arrive within `timeout` (returns at the first read); empty when none came
    // or the connection ended. For streams that never end (server-sent events).
    std::string read_available(std::chrono::milliseconds timeout);
    // Whether the server closed the connection within `timeout` (data before the end is dropped).
    bool closed_within(std::chrono::milliseconds timeout);
    // Closes at once; with `reset`, abortively (RST), like a crashed client.
    void close(bool reset = false);

private:
    // Reads what is there, waiting up to `timeout`; false at the end of the stream or on error.
    bool read_some(std::chrono::milliseconds timeout);

    int m_fd = -1;
    std::string m_pending;
};

// The status code of a raw response ("HTTP/1.1 404 Not Found..." -> 404), 0 if none.
int status_of(std::string_view raw_response);
// The body of a raw response (after the blank line).
std::string body_of(std::string_view raw_response);

}  // namespace spotfarm::testing
