#pragma once
// An HttpClient that answers from a function the test gives and records every request.

#include <functional>
#include <mutex>
#include <vector>

#include "util/http_client.h"

namespace spotfarm::testing {

class FakeHttpClient final : public util::HttpClient {
public:
    using Handler = std::function<util::Result<util::HttpResponse>(const util::HttpRequest&)>;

    explicit FakeHttpClient(Handler handler) : m_handler(std::move(handler)) {}

    util::Result<util::HttpResponse> send(const util::HttpRequest& request) override {
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(request);
        }
        return m_handler(request);
    }

    std::vector<util::HttpRequest> requests() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    Handler m_handler;
    mutable std::mutex m_mutex;
    std::vector<util::HttpRequest> m_requests;
};

inline util::HttpResponse http_response(int status, std::string body = {}) {
    return util::HttpResponse{status, {}, std::move(body)};
}

// The value of the first header named `name` (exact spelling), or "" when there is none.
inline std::string header_value(const util::HttpRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers)
        if (key == name) return value;
    return {};
}

}  // namespace spotfarm::testing
