#pragma once
// HTTP behind an interface: the manager client, the EC2 client and the IMDS watcher send requests
// through it, so their tests answer from a fake instead of a server.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace spotfarm::util {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    HttpHeaders headers;
    std::string body;
    std::chrono::milliseconds timeout{30'000};  // for the whole exchange
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers;
    std::string body;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    // Any HTTP status is a response; an error means no response came (refused, timed out, ...).
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace spotfarm::util
