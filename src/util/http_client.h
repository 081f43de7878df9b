#pragma once
// A small blocking HTTP client, behind an interface so the CLI, the worker and the cloud clients
// can be tested against fakes. CurlHttpClient is the real one (libcurl).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace spotfarm::util {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{30000};
    // Asked about once a second while the request waits; true gives it up at once (an Error of
    // kind interrupted), so a long poll does not hold up a process told to stop.
    std::function<bool()> abandon;
};

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    // Any HTTP status is a response; only a failure to get one (no connection, timeout, ...) is
    // an Error.
    virtual Result<HttpResponse> send(const HttpRequest&) = 0;
};

// The value of the first header called `name` (case-insensitive), if any.
std::optional<std::string> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name);

// How an https:// server is trusted. With a pin, the server must present exactly the key the
// pin names (a self-signed certificate is fine, its host name is not checked): nothing else is
// trusted, not even a certificate a public authority signed. Without one, the system's
// certificate authorities and the host name decide.
struct TlsTrust {
    std::string pinned_key;  // "sha256//BASE64" (util/tls_identity.h: public_key_pin), or empty
};

// libcurl. Thread-safe: concurrent calls use separate handles; connections are kept alive and
// reused between calls. Transport errors come back as an Error naming the URL and the cause.
class CurlHttpClient final : public HttpClient {
public:
    explicit CurlHttpClient(TlsTrust trust = {});
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    Result<HttpResponse> send(const HttpRequest& request) override;

private:
    struct Pool;
    std::unique_ptr<Pool> m_pool;
    TlsTrust m_trust;
};

}  // namespace spotfarm::util
