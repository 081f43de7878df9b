#include "support/fake_imds.h"

#include <nlohmann/json.hpp>

#include "util/utc_time.h"

namespace spotfarm::testing {
namespace {

util::HttpResponse text(int status, std::string body = {}) {
    return util::HttpResponse{status, {{"Content-Type", "text/plain"}}, std::move(body)};
}

}  // namespace

FakeImds::FakeImds() {
    m_server = std::make_unique<LoopbackHttpServer>(
        [this](const ReceivedRequest& request) { return handle(request); });
}

std::string FakeImds::base_url() const {
    return m_server->url();
}

void FakeImds::set_instance_action(std::optional<std::string> json) {
    std::lock_guard lock(m_mutex);
    m_instance_action = std::move(json);
}

void FakeImds::set_interruption(const std::string& action,
                                std::chrono::system_clock::time_point time) {
    set_instance_action(
        nlohmann::json{{"action", action}, {"time", util::format_iso8601_utc(time)}}.dump());
}

void FakeImds::set_rebalance(std::optional<std::chrono::system_clock::time_point> notice_time) {
    std::lock_guard lock(m_mutex);
    m_rebalance.reset();
    if (notice_time)
        m_rebalance = nlohmann::json{{"noticeTime", util::format_iso8601_utc(*notice_time)}}.dump();
}

void FakeImds::set_role(const std::string& name, const providers::aws::Credentials& credentials,
                        std::chrono::system_clock::time_point expiration) {
    std::lock_guard lock(m_mutex);
    m_role = name;
    m_role_document = nlohmann::json{{"Code", "Success"},
                                     {"LastUpdated", "2026-01-01T00:00:00Z"},
                                     {"Type", "AWS-HMAC"},
                                     {"AccessKeyId", credentials.access_key_id},
                                     {"SecretAccessKey", credentials.secret_access_key},
                                     {"Token", credentials.session_token},
                                     {"Expiration", util::format_iso8601_utc(expiration)}}
                          .dump(2);
}

void FakeImds::expire_tokens() {
    std::lock_guard lock(m_mutex);
    m_tokens.clear();
}

int FakeImds::tokens_issued() const {
    std::lock_guard lock(m_mutex);
    return m_issued;
}

int FakeImds::unauthorized_gets() const {
    std::lock_guard lock(m_mutex);
    return m_unauthorized;
}

util::HttpResponse FakeImds::handle(const ReceivedRequest& request) {
    std::lock_guard lock(m_mutex);
    if (request.method == "PUT" && request.target == "/latest/api/token") {
        const auto ttl = util::find_header(request.headers, "X-aws-ec2-metadata-token-ttl-seconds");
        int seconds = 0;
        try {
            seconds = ttl ? std::stoi(*ttl) : 0;
        } catch (const std::exception&) {
        }
        if (seconds < 1 || seconds > 21600) return text(400);
        const std::string token = "fake-imds-token-" + std::to_string(++m_issued);
        m_tokens.insert(token);
        return text(200, token);
    }
    if (request.method != "GET") return text(405);
    const auto token = util::find_header(request.headers, "X-aws-ec2-metadata-token");
    if (!token || !m_tokens.count(*token)) {
        ++m_unauthorized;
        return text(401);
    }
    const std::string& path = request.target;
    auto document = [](const std::optional<std::string>& body) {
        return body ? text(200, *body) : text(404, "Not Found");
    };
    if (path == "/latest/meta-data/spot/instance-action") return document(m_instance_action);
    if (path == "/latest/meta-data/events/recommendations/rebalance") return document(m_rebalance);
    if (path == "/latest/meta-data/iam/security-credentials/")
        return m_role.empty() ? text(404) : text(200, m_role);
    if (!m_role.empty() && path == "/latest/meta-data/iam/security-credentials/" + m_role)
        return text(200, m_role_document);
    return text(404, "Not Found");
}

}  // namespace spotfarm::testing
