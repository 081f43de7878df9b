#include "cli/client/api_client.h"

#include <chrono>

#include "cli/common/commands.h"

namespace spotfarm::cli {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds k_timeout{30};

std::string trimmed_body(std::string_view body) {
    constexpr std::size_t k_max = 200;
    std::string text(body.substr(0, k_max));
    for (char& c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return body.size() > k_max ? text + "..." : text;
}

}  // namespace

std::string api_error_message(int status, std::string_view body) {
    json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    std::string message;
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
        message = parsed["error"].get<std::string>();
        if (parsed.contains("code") && parsed["code"].is_string()) {
            message +=
                " (HTTP " + std::to_string(status) + ", " + parsed["code"].get<std::string>() + ")";
        } else {
            message += " (HTTP " + std::to_string(status) + ")";
        }
        return message;
    }
    message = "HTTP " + std::to_string(status);
    if (!body.empty()) message += ": " + trimmed_body(body);
    return message;
}

ApiClient::ApiClient(util::HttpClient& http, ClientConfig config)
    : m_http(http), m_config(std::move(config)) {}

util::Result<json> ApiClient::get(std::string_view path) {
    return call("GET", path, "");
}

util::Result<json> ApiClient::post(std::string_view path, const json& body) {
    return call("POST", path, body.dump());
}

util::Result<json> ApiClient::remove(std::string_view path) {
    return call("DELETE", path, "");
}

util::Result<json> ApiClient::call(std::string method, std::string_view path, std::string body) {
    util::HttpRequest request;
    request.method = std::move(method);
    request.url = m_config.manager_url + "/api/v1" + std::string(path);
    request.headers.emplace_back("Authorization", "Bearer " + m_config.token);
    request.headers.emplace_back("Accept", "application/json");
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    request.timeout = k_timeout;

    auto response = m_http.send(request);
    if (!response) {
        return util::make_error(
            "cannot reach the manager at " + m_config.manager_url + " (from " +
                m_config.manager_source + "): " + response.error().message +
                ".\nStart one with:  spotfarm manager --state-dir STATE --listen 0.0.0.0:8420\n"
                "or point --manager (or SPOTFARM_MANAGER, or the config file) at a running one.",
            util::ErrorKind::unavailable);
    }
    if (response->status >= 400) {
        std::string message = api_error_message(response->status, response->body);
        if (response->status == 401) {
            message += "\nThe token came from " + m_config.token_source +
                       "; the manager's people token is in people.token in its state folder.";
        }
        return util::make_error("the manager at " + m_config.manager_url + " refused: " + message,
                                util::ErrorKind::failed);
    }
    if (response->body.empty()) return json();
    json parsed = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        return util::make_error("the server at " + m_config.manager_url + " answered " +
                                    request.method + " " + request.url +
                                    " with something that is not JSON (" +
                                    trimmed_body(response->body) + "); is it a spotfarm manager?",
                                util::ErrorKind::failed);
    }
    return parsed;
}

}  // namespace spotfarm::cli
