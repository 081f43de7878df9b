#pragma once
// A stand-in for the EC2 Query API on 127.0.0.1: it verifies every request's SigV4 signature
// against known test credentials, checks the parameters as EC2 does, answers with AWS-shaped XML
// and keeps its instances in memory. Tests inject failures (AuthFailure, throttling, capacity)
// and move instances between states.
//
// EC2 Fleet (fake_ec2_fleet.cpp): launch templates and instant fleets over capacity pools (an
// instance type in an availability zone, the zone given by the subnet). A pool may hold a limited
// number of Spot instances; Spot goes to the pools with the most room (capacity strategies) or
// the cheapest (lowest-price), and the pools without room are reported as errors, as EC2 does.

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
    std::string zone;             // availability zone: the subnet's, else REGION + "a"
    std::string subnet_id;        // as launched; empty for the default VPC
    std::string launch_template;  // the template's name, for fleet launches
    providers::aws::InstanceState state = providers::aws::InstanceState::pending;
    bool spot = false;
    std::vector<providers::aws::Tag> tags;
    std::string user_data;  // decoded
    std::string client_token;
    std::string transition_reason;  // "User initiated (YYYY-MM-DD HH:MM:SS GMT)" once terminated
    std::string public_ip;          // answered as ipAddress when set
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
    void set_public_ip(const std::string& instance_id, std::string ip);
    // A price entry in the history; `at` defaults to now. Every entry is answered, oldest and
    // newest alike, as EC2 does for a StartTime within the history.
    void set_spot_price(std::string instance_type, std::string zone, double usd_per_hour,
                        std::optional<std::chrono::system_clock::time_point> at = {});
    // Called (on the server thread) for each instance launched or terminated.
    void on_launch(std::function<void(const FakeEc2Instance&)> hook);
    void on_terminate(std::function<void(const FakeEc2Instance&)> hook);

    // EC2 Fleet. A subnet in a zone; without any, every subnet is in REGION + "a".
    void add_subnet(std::string subnet_id, std::string zone);
    // How many Spot instances (pending or running) the pool holds at most; unset: no limit.
    void set_pool_capacity(std::string instance_type, std::string zone, int spot_instances);
    // The pool's capacity is gone: it takes no more Spot instances. Returns its live Spot
    // instances, which the test interrupts (AWS would send each a notice, then terminate it).
    std::vector<std::string> reclaim_pool(const std::string& instance_type,
                                          const std::string& zone);
    // What attribute-based selection chooses from; a default catalog is built in.
    struct TypeInfo {
        std::string name;
        int vcpus = 0;
        int memory_mib = 0;
        int gpus = 0;
        std::string gpu_maker;  // "nvidia", "amd"
        bool burstable = false;
    };
    void set_catalog(std::vector<TypeInfo> types);
    static std::vector<TypeInfo> default_catalog();     // c7i, c6i, m7i, r7i, t3, g5 and g6 types
    std::vector<std::string> launch_templates() const;  // names of those that exist

    // Actions beyond these (fake_ec2_network.h): asked, under the stand-in's lock and after the
    // signature check and injected failures, about an action this stand-in does not know; an
    // HTTP status and EC2 XML, or nullopt when it does not know the action either.
    using ExtraActions = std::function<std::optional<std::pair<int, std::string>>(
        const std::string& action, const std::map<std::string, std::string>& params)>;
    void add_actions(ExtraActions actions);

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
    Answer create_launch_template(const Params& params);
    Answer delete_launch_template(const Params& params);
    Answer create_fleet(const Params& params);
    FakeEc2Instance* find(const std::string& id);
    struct Template {
        std::string id;
        std::string name;
        std::string image_id;
        std::string user_data;  // decoded
    };
    struct Pool {
        std::string instance_type;
        std::string subnet_id;
        std::string zone;
    };
    std::string zone_of(const std::string& subnet_id) const;  // "" for an unknown subnet
    int spot_room(const Pool& pool) const;                    // INT_MAX without a limit
    std::optional<double> spot_price_of(const Pool& pool) const;
    FakeEc2Instance& add_fleet_instance(const Template& launch, const Pool& pool, bool spot,
                                        const std::vector<providers::aws::Tag>& tags,
                                        const std::string& token);

    FakeEc2Options m_options;
    mutable std::mutex m_mutex;
    std::vector<FakeEc2Instance> m_instances;
    std::vector<Injected> m_injected;
    std::optional<Injected> m_spot_refusal;
    std::vector<Call> m_calls;
    std::vector<providers::aws::SpotPrice> m_prices;
    std::function<void(const FakeEc2Instance&)> m_on_launch, m_on_terminate;
    std::map<std::string, std::string> m_subnets;  // subnet -> zone
    std::map<std::pair<std::string, std::string>, int> m_pool_capacity;
    std::vector<TypeInfo> m_catalog;
    std::vector<Template> m_templates;
    std::map<std::string, std::string> m_fleet_answers;  // ClientToken -> the answer given
    ExtraActions m_extra_actions;
    int m_refused = 0;
    int m_next_id = 1;
    std::unique_ptr<LoopbackHttpServer> m_server;  // last: stops before the state goes
};

}  // namespace spotfarm::testing
