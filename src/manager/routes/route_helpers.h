#pragma once
// Small pieces every resource's handlers use: ids from the path, bodies through the protocol's
// checked readers, and the one mapping of the Farm's errors to HTTP answers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "manager/http/request.h"
#include "manager/http/response.h"
#include "manager/http/router.h"
#include "protocol/protocol.h"
#include "util/ascii.h"
#include "util/result.h"

namespace spotfarm::manager::routes {

// A handler that takes the shared context first, as the router wants it.
template <class Context>
http::Handler with_context(Context& context, http::Reply (*handler)(Context&, http::Request&)) {
    return [&context, handler](http::Request& request) { return handler(context, request); };
}

// "/api/v1" + rest.
std::string api_path(std::string_view rest);

// The Farm's error as an answer: invalid 400, not found 404, conflict 409, storage 503 (507
// disk_full for a full disk, manager/disk_full.h), else 500.
http::Response error_answer(const util::Error& error);

// A 400 with code `code`.
http::Response bad_request(std::string_view code, std::string_view message);

// The positive integer id in path parameter `name`, or nothing (then answer not_found_answer).
std::optional<std::int64_t> path_id(const http::Request& request, std::string_view name);
// "no job 'abc'": for a path id that is not a number or names nothing.
http::Response not_found_answer(std::string_view kind, std::string_view id);

// Parses the body as JSON with http::parse_request_json (an empty body reads as {}); the error
// says whether it was malformed or nested too deeply.
util::Result<nlohmann::json> json_body(const http::Request& request);
// The 400 for a body json_body refused.
http::Response malformed_json_answer(const util::Error& error);

// A protocol struct from the body, or the 400 answer naming the field that is wrong.
template <class T>
util::Result<T> protocol_body(const http::Request& request, http::Response& refusal) {
    // An empty body reads as {}, so a report with nothing to say may send nothing.
    auto body = json_body(request);
    if (!body) {
        refusal = bad_request("invalid_body", body.error().message);
        return body.error();
    }
    auto parsed = protocol::from_json<T>(*body);
    if (!parsed) refusal = bad_request("invalid_body", parsed.error().message);
    return parsed;
}

// The calling worker's id (principal worker).
core::WorkerId calling_worker(const http::Request& request);

// 403 unless a report's worker_id names the calling worker.
std::optional<http::Response> check_reporter(const http::Request& request, std::int64_t worker_id);

// A lease as workers are told it: whole seconds, rounded to the nearest, and at least 1 (a
// worker reads 0 as "no lease").
int lease_seconds(double seconds);

// A query parameter as a non-negative integer, `fallback` when absent; nothing when malformed.
std::optional<std::int64_t> query_count(const http::Request& request, std::string_view name,
                                        std::int64_t fallback, std::int64_t max);

}  // namespace spotfarm::manager::routes
