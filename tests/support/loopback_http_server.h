#pragma once
// A small HTTP/1.1 server on 127.0.0.1 and a free port, for stand-ins of remote services in
// tests. One thread serves one connection at a time and closes it after each answer.

#include <functional>
#include <memory>
#include <string>

#include "util/http_client.h"

namespace spotfarm::testing {

struct ReceivedRequest {
    std::string method;
    std::string target;  // path and query as on the request line
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

class LoopbackHttpServer {
public:
    // Called on the server thread; an exception becomes a 500.
    using Handler = std::function<util::HttpResponse(const ReceivedRequest&)>;

    explicit LoopbackHttpServer(Handler handler);
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    int port() const;
    std::string url() const;  // "http://127.0.0.1:PORT"

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace spotfarm::testing
