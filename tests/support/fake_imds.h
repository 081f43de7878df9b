#pragma once
// A stand-in for the EC2 instance metadata service (IMDSv2 only) on 127.0.0.1: session tokens
// from PUT /latest/api/token, 401 for a GET without a valid one, and the documents spotfarm reads
// (spot/instance-action, events/recommendations/rebalance, iam/security-credentials/ROLE),
// which the test sets and clears.

#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "providers/aws/credentials.h"
#include "support/loopback_http_server.h"

namespace spotfarm::testing {

class FakeImds {
public:
    FakeImds();

    std::string base_url() const;  // "http://127.0.0.1:PORT"

    // {"action": ACTION, "time": TIME} at spot/instance-action; nullopt clears it (404).
    void set_instance_action(std::optional<std::string> action_and_time_json);
    void set_interruption(const std::string& action, std::chrono::system_clock::time_point time);
    void set_rebalance(std::optional<std::chrono::system_clock::time_point> notice_time);
    void set_role(const std::string& name, const providers::aws::Credentials& credentials,
                  std::chrono::system_clock::time_point expiration);
    // Every token handed out so far stops working (as when its TTL runs out).
    void expire_tokens();

    int tokens_issued() const;
    int unauthorized_gets() const;

private:
    util::HttpResponse handle(const ReceivedRequest& request);

    mutable std::mutex m_mutex;
    std::set<std::string> m_tokens;
    int m_issued = 0;
    int m_unauthorized = 0;
    std::optional<std::string> m_instance_action;
    std::optional<std::string> m_rebalance;
    std::string m_role;
    std::string m_role_document;
    std::unique_ptr<LoopbackHttpServer> m_server;  // last: stops before the state goes
};

}  // namespace spotfarm::testing
