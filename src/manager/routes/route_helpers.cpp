#include "manager/routes/route_helpers.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/errors.h"
#include "manager/disk_full.h"
#include "manager/farm_types.h"
#include "manager/http/request_json.h"

namespace spotfarm::manager::routes {
namespace {

std::optional<std::int64_t> parse_count(std::string_view text) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::string api_path(std::string_view rest) {
    return "/api/v1" + std::string(rest);
}

http::Response error_answer(const util::Error& error) {
    // The one mapping from an error's kind to an HTTP status.
    switch (error.kind) {
        case util::ErrorKind::invalid:
            return http::error_response(400, "invalid", error.message);
        case util::ErrorKind::unauthorized:
            return http::error_response(401, "unauthorized", error.message);
        case util::ErrorKind::not_found:
            return http::error_response(404, "not_found", error.message);
        case util::ErrorKind::conflict:
            return http::error_response(409, "conflict", error.message);
        case util::ErrorKind::storage:
            if (is_disk_full(error)) return http::error_response(507, "disk_full", error.message);
            return http::error_response(503, "storage_unavailable",
                                        error.message + "; try again later");
        case util::ErrorKind::unavailable:
        case util::ErrorKind::interrupted:
            return http::error_response(503, "unavailable", error.message + "; try again later");
        case util::ErrorKind::failed:
            break;
    }
    return http::error_response(500, "internal_error", error.message);
}

http::Response bad_request(std::string_view code, std::string_view message) {
    return http::error_response(400, code, message);
}

std::optional<std::int64_t> path_id(const http::Request& request, std::string_view name) {
    auto value = parse_count(request.param(name));
    if (!value || *value == 0) return std::nullopt;
    return value;
}

http::Response not_found_answer(std::string_view kind, std::string_view id) {
    return http::error_response(404, "not_found",
                                "no " + std::string(kind) + " '" + std::string(id) +
                                    "': ids are positive integers, as listed by GET /api/v1/" +
                                    std::string(kind) + "s");
}

util::Result<nlohmann::json> json_body(const http::Request& request) {
    return http::parse_request_json(request.body);
}

http::Response malformed_json_answer(const util::Error& error) {
    return bad_request("malformed_json", error.message);
}

core::WorkerId calling_worker(const http::Request& request) {
    return core::WorkerId(parse_count(request.worker_id).value_or(0));
}

std::optional<http::Response> check_reporter(const http::Request& request, std::int64_t worker_id) {
    if (core::WorkerId(worker_id) == calling_worker(request)) return std::nullopt;
    return http::error_response(403, "forbidden",
                                "the report names worker " + std::to_string(worker_id) +
                                    " but comes with the secret of worker " + request.worker_id +
                                    ": a worker reports only for itself");
}

int lease_seconds(double seconds) {
    // Clamped before converting: a converted double out of int's range is undefined.
    return static_cast<int>(std::lround(std::clamp(seconds, 1.0, 1e9)));
}

std::optional<std::int64_t> query_count(const http::Request& request, std::string_view name,
                                        std::int64_t fallback, std::int64_t max) {
    auto text = request.query_value(name);
    if (!text) return fallback;
    auto value = parse_count(*text);
    if (!value || *value > max) return std::nullopt;
    return value;
}

}  // namespace spotfarm::manager::routes
