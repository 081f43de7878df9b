#pragma once
// A stand-in for the EC2 Query API on 127.0.0.1: it verifies every request's SigV4 signature
// against known test credentials, checks the parameters as EC2 does, answers with AWS-shaped XML
// and keeps its instances in memory. Tests inject failures (AuthFailure, throttling, capacity)
// and move instances between states.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/credentials.h"
#include "providers/aws/ec2_types.h"
#include "providers/aws/uri.h"
#include "support/loopback_http_server.h"
#include "util/clock.h"

namespace spotfarm::testing {

struct FakeEc2Instance {
    std::string id;
    std::string reservation_id;
    std::string image_id;
    std::string instance_type;
    providers::aws::InstanceState state = providers::aws::InstanceState::pending;
    bool spot = false;
    std::vector<providers::aws::Tag> tags;
    std::string user_data;  // decoded
    std::string client_token;
    std::string transition_reason;  // "User initiated (YYYY-MM-DD HH:MM:SS GMT)" once terminated
    std::chrono::system_clock::time_point launch_time;
};

struct FakeEc2Options {
    providers::aws::Credentials credentials{"AKIDFAKEEC2", "fake/ec2/secret/key"};
    std::string region = "us-east-1";
    // When set, requests dated more than 5 minutes away are refused (RequestExpired).
    const util::Clock* clock = nullptr;
};

class FakeEc2 {
public:
    explicit FakeEc2(FakeEc2Options options = {});

    std::string endpoint() const;  // "http://127.0.0.1:PORT/"
    const providers::aws::Credentials& credentials() const { return m_options.credentials; }

    // The next `times` calls of `action` (any action when empty) answer with this error.
    void fail_next(std::string action, int http_status, std::string code, std::string message,
                   int times = 1);
    // Every Spot launch (RunInstances with MarketType spot) answers with this error from now on,
    // as when a zone has no Spot capacity for the type or the account's Spot quota is used up;
    // on-demand launches still succeed.
    void refuse_spot(int http_status, std::string code, std::string message);
    void set_state(const std::string& instance_id, providers::aws::InstanceState state);
    // A price entry in the history; `at` defaults to now. Every entry is answered, oldest and
    // newest alike, as EC2 does for a StartTime within the history.
    void set_spot_price(std::string instance_type, std::string zone, double usd_per_hour,
                        std::optional<std::chrono::system_clock::time_point> at = {});
    // Called (on the server thread) for each instance launched or terminated.
    void on_launch(std::function<void(const FakeEc2Instance&)> hook);
    void on_terminate(std::function<void(const FakeEc2Instance&)> hook);

    std::vector<FakeEc2Instance> instances() const;
    struct Call {
        std::string action;
        providers::aws::QueryParams params;
    };
    std::vector<Call> calls() const;  // requests that passed the signature check
    int refused_signatures() const;

private:
    struct Injected {
        std::string action;
        int status;
        std::string code;
        std::string message;
        int times;
    };
    struct Answer {
        int status;
        std::string body;
    };
    using Params = std::map<std::string, std::string>;

    util::HttpResponse handle(const ReceivedRequest& request);
    Answer dispatch(const std::string& action, const Params& params);
    Answer run_instances(const Params& params);
    Answer describe_instances(const Params& params);
    Answer terminate_instances(const Params& params);
    Answer spot_price_history(const Params& params);
    Answer create_tags(const Params& params);
    FakeEc2Instance* find(const std::string& id);

    FakeEc2Options m_options;
    mutable std::mutex m_mutex;
    std::vector<FakeEc2Instance> m_instances;
    std::vector<Injected> m_injected;
    std::optional<Injected> m_spot_refusal;
    std::vector<Call> m_calls;
    std::vector<providers::aws::SpotPrice> m_prices;
    std::function<void(const FakeEc2Instance&)> m_on_launch, m_on_terminate;
    int m_refused = 0;
    int m_next_id = 1;
    std::unique_ptr<LoopbackHttpServer> m_server;  // last: stops before the state goes
};

}  // namespace spotfarm::testing
