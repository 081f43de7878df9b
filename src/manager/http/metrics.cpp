#include "manager/http/metrics.h"

#include <fmt/format.h>

namespace spotfarm::manager::http {

void HttpMetrics::count_response(int status) {
    auto& counter = status >= 500   ? responses_5xx
                    : status >= 400 ? responses_4xx
                    : status >= 300 ? responses_3xx
                                    : responses_2xx;
    counter.fetch_add(1, std::memory_order_relaxed);
}

std::string prometheus_text(const HttpMetrics& m) {
    auto get = [](const auto& value) { return value.load(std::memory_order_relaxed); };
    std::string out;
    auto family = [&](std::string_view name, std::string_view type, std::string_view help) {
        fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                       type);
    };
    family("spotfarm_http_requests_total", "counter", "HTTP requests received.");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_requests_total {}\n", get(m.requests));
    family("spotfarm_http_responses_total", "counter", "HTTP responses sent, by status class.");
    for (auto [name, value] :
         {std::pair{"2xx", get(m.responses_2xx)}, std::pair{"3xx", get(m.responses_3xx)},
          std::pair{"4xx", get(m.responses_4xx)}, std::pair{"5xx", get(m.responses_5xx)}}) {
        fmt::format_to(std::back_inserter(out),
                       "spotfarm_http_responses_total{{class=\"{}\"}} {}\n", name, value);
    }
    family("spotfarm_http_errors_total", "counter", "HTTP responses with a 4xx or 5xx status.");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_errors_total {}\n",
                   get(m.responses_4xx) + get(m.responses_5xx));
    family("spotfarm_http_handler_exceptions_total", "counter",
           "Handlers that threw (answered with 500).");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_handler_exceptions_total {}\n",
                   get(m.handler_exceptions));
    family("spotfarm_http_connections_accepted_total", "counter", "TCP connections accepted.");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_connections_accepted_total {}\n",
                   get(m.connections_accepted));
    family("spotfarm_http_connections_shed_total", "counter",
           "TCP connections closed or refused at the connection caps.");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_connections_shed_total {}\n",
                   get(m.connections_shed));
    family("spotfarm_http_open_connections", "gauge", "TCP connections open now.");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_open_connections {}\n",
                   get(m.open_connections));
    family("spotfarm_http_waiting_responses", "gauge", "Long-polls waiting for their answer now.");
    fmt::format_to(std::back_inserter(out), "spotfarm_http_waiting_responses {}\n",
                   get(m.waiting_responses));
    return out;
}

}  // namespace spotfarm::manager::http
