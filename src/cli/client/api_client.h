#pragma once
// The people side of the manager's HTTP API (/api/v1) for the commands: JSON in, JSON out, and
// every failure as a message with the exit code the command should end with.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/client/client_config.h"
#include "util/http_client.h"
#include "util/result.h"

namespace spotfarm::cli {

class ApiClient {
public:
    ApiClient(util::HttpClient& http, ClientConfig config);

    // `path` is under /api/v1, e.g. "/jobs/12". The answer's JSON (null for an empty answer).
    // Errors: code k_exit_unavailable when no answer came (saying which URL was tried and how to
    // start a manager); k_exit_failure for 4xx/5xx (with the manager's own message) and for an
    // answer that is not JSON.
    util::Result<nlohmann::json> get(std::string_view path);
    util::Result<nlohmann::json> post(std::string_view path,
                                      const nlohmann::json& body = nlohmann::json::object());
    util::Result<nlohmann::json> remove(std::string_view path);

    const ClientConfig& config() const { return m_config; }
    // The client underneath, for requests that are not JSON (blobs, frames).
    util::HttpClient& http() { return m_http; }

private:
    util::Result<nlohmann::json> call(std::string method, std::string_view path, std::string body);

    util::HttpClient& m_http;
    ClientConfig m_config;
};

// The message for an error answer of the API ({"error", "code"}), or a plain description of the
// status when the body is not of that shape.
std::string api_error_message(int status, std::string_view body);

}  // namespace spotfarm::cli
