#pragma once
// Counters of the HTTP layer, for GET /metrics in the Prometheus text format.

#include <atomic>
#include <cstdint>
#include <string>

namespace spotfarm::manager::http {

struct HttpMetrics {
    std::atomic<std::uint64_t> requests{0};  // requests whose header was read
    std::atomic<std::uint64_t> responses_2xx{0};
    std::atomic<std::uint64_t> responses_3xx{0};
    std::atomic<std::uint64_t> responses_4xx{0};
    std::atomic<std::uint64_t> responses_5xx{0};
    std::atomic<std::uint64_t> handler_exceptions{0};  // handlers that threw
    std::atomic<std::uint64_t> connections_accepted{0};
    // Closed to make room for a new one, or refused, at the connection caps.
    std::atomic<std::uint64_t> connections_shed{0};
    std::atomic<std::int64_t> open_connections{0};
    std::atomic<std::int64_t> waiting_responses{0};  // deferred responses not answered yet

    void count_response(int status);
};

// The counters as Prometheus text (spotfarm_http_* families, with HELP and TYPE lines).
std::string prometheus_text(const HttpMetrics& metrics);

}  // namespace spotfarm::manager::http
