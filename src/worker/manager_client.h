#pragma once
// ManagerApi over HTTP: base URL, bearer tokens, timeouts, and the sorting of failures into
// "try again later" (no answer, 5xx) and "refused" (4xx, 401 apart) with messages for people.

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "util/http_client.h"
#include "worker/manager_api.h"

namespace spotfarm::worker {

struct ManagerClientOptions {
    std::string base_url;    // "http://host:port", with or without "/api/v1"
    std::string join_token;  // for registration only
    std::chrono::milliseconds request_timeout{15'000};
    // A claim may take its whole wait; its timeout is the wait plus this.
    std::chrono::milliseconds claim_slack{10'000};
    // The stop-signal counter: a claim waiting for work ends as soon as it changes, so a worker
    // told to stop while idle leaves at once rather than after the long poll.
    const std::atomic<int>* stop_signals = nullptr;
};

class ManagerClient final : public ManagerApi {
public:
    ManagerClient(util::HttpClient& http, ManagerClientOptions options);

    util::Result<protocol::Registration> register_worker(
        const protocol::RegisterRequest& info) override;
    void use_worker_secret(std::string secret) override { m_secret = std::move(secret); }
    util::Result<Claimed> claim(std::int64_t worker_id, const protocol::ClaimRequest& request,
                                std::chrono::seconds wait) override;
    util::Result<protocol::ProgressAnswer> progress(
        std::int64_t task_id, const protocol::ProgressReport& report) override;
    util::Status complete(std::int64_t task_id, const protocol::CompleteReport& report) override;
    util::Status fail(std::int64_t task_id, const protocol::FailReport& report) override;
    util::Status release(std::int64_t task_id, const protocol::ReleaseReport& report) override;
    util::Result<protocol::DrainAnswer> drain(std::int64_t worker_id,
                                              const protocol::DrainRequest& request) override;
    util::Status sign_off(std::int64_t worker_id, const protocol::SignOffRequest& request) override;
    util::Result<std::int64_t> fetch_blob(const std::string& hash, std::int64_t size,
                                          const std::filesystem::path& dest) override;
    util::Status upload_frame(std::int64_t task_id, const FrameUpload& upload) override;
    void limit_call_time(std::chrono::milliseconds limit) override { m_call_limit = limit; }

    // The API root every path is appended to: base URL + "/api/v1".
    const std::string& api_root() const { return m_api_root; }

private:
    // POSTs `body` to `path`; a 2xx is returned, anything else becomes a classified error.
    util::Result<util::HttpResponse> post(const std::string& path, std::string body,
                                          std::chrono::milliseconds timeout, bool with_join_token,
                                          std::function<bool()> abandon = {});
    util::Status post_report(const std::string& path, std::string body);

    util::HttpClient& m_http;
    ManagerClientOptions m_options;
    std::string m_api_root;
    std::string m_secret;
    std::optional<std::chrono::milliseconds> m_call_limit;
};

}  // namespace spotfarm::worker
