#pragma once
// One HTTP request as a handler sees it: method, path parameters, query, headers, body, and who
// sent it (the principal the bearer token proved).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "manager/http/responder.h"
#include "util/percent_encoding.h"
#include "util/result.h"

namespace spotfarm::manager::http {

using Fields = util::QueryFields;

// Who a request comes from, as its bearer token proves.
enum class Principal {
    anonymous,    // no token (open routes only)
    person,       // the people token: the CLI, the add-on, the dashboard, scripts
    worker_join,  // the worker join token: may register a worker
    worker,       // a registered worker's own secret
};
std::string_view to_string(Principal principal);

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // as sent, without the query
    Fields params;       // path parameters, percent-decoded: {"id", "42"} for /jobs/{id}
    Fields query;        // query parameters, percent-decoded, in order
    Fields headers;      // names as sent
    std::string body;
    Principal principal = Principal::anonymous;
    std::string worker_id;                  // the worker's id when principal == worker
    boost::asio::any_io_executor executor;  // the server's io thread

    // A path parameter; empty if the route has none of that name.
    std::string_view param(std::string_view name) const;
    // The first query parameter of that name.
    std::optional<std::string_view> query_value(std::string_view name) const;
    // The first header of that name (case-insensitive).
    std::optional<std::string_view> header(std::string_view name) const;

    // Answers later: the handler returns the Responder and completes it when it can; after
    // `timeout` the client gets `on_timeout` instead.
    Responder defer(std::chrono::milliseconds timeout, Response on_timeout) const;
};

// The long-poll wait of `?wait=SECONDS` (fractions allowed), capped at `cap`; zero without one.
// A value that is not a non-negative number is an Error whose message says so.
util::Result<std::chrono::milliseconds> long_poll_wait(const Request& request,
                                                       std::chrono::milliseconds cap);

}  // namespace spotfarm::manager::http
