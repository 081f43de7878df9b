#pragma once
// The EC2 instance metadata service (IMDSv2): a session token from PUT /latest/api/token, then
// GETs that carry it. Used for the instance role's credentials and the spot interruption notice.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/http_client.h"
#include "util/result.h"

namespace spotfarm::util {

inline constexpr std::string_view k_imds_default_base_url = "http://169.254.169.254";

struct ImdsOptions {
    std::string base_url = std::string(k_imds_default_base_url);  // overridable for tests
    std::chrono::seconds token_ttl{21600};
    // IMDS answers in milliseconds on EC2; off EC2 nothing answers, so fail fast.
    std::chrono::milliseconds timeout{2000};
};

// Not thread-safe: one per thread that polls.
class ImdsClient {
public:
    explicit ImdsClient(HttpClient& http, ImdsOptions options = {});

    // GET base_url + path (e.g. "/latest/meta-data/spot/instance-action"); nullopt on 404. Takes
    // a token first, and a fresh one once when IMDS answers 401 (the token expired).
    Result<std::optional<std::string>> get(std::string_view path);

    const ImdsOptions& options() const { return m_options; }

private:
    Status fetch_token();
    Result<HttpResponse> send_get(std::string_view path);

    HttpClient& m_http;
    ImdsOptions m_options;
    std::string m_token;
};

}  // namespace spotfarm::util
