#pragma once
// HTTP behind an interface so the code that talks to AWS, the manager or IMDS is tested with fakes.

#include <chrono>
#include <string>
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
};

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// send() fails only when no HTTP answer came back (connection refused, timeout, ...);
// an HTTP error status is a response, not an Error.
class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual util::Result<HttpResponse> send(const HttpRequest&) = 0;
};

}  // namespace spotfarm::util
