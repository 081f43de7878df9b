#pragma once
// A client for the EC2 Query API: form-encoded POSTs signed with SigV4 (service "ec2"), answers
// read from XML, throttling and server errors retried with exponential back-off and full jitter.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/credentials.h"
#include "providers/aws/ec2_error.h"
#include "providers/aws/ec2_fleet_types.h"
#include "providers/aws/ec2_types.h"
#include "providers/aws/retry.h"
#include "providers/aws/uri.h"
#include "util/clock.h"
#include "util/http_client.h"
#include "util/result.h"
#include "util/sleeper.h"

namespace spotfarm::providers::aws {

// https://ec2.REGION.amazonaws.com/
std::string default_ec2_endpoint(std::string_view region);

struct Ec2ClientOptions {
    std::string region;
    std::string endpoint;  // empty: default_ec2_endpoint(region); any EC2-compatible URL works
    RetryPolicy retry;
    std::chrono::milliseconds timeout{30000};
    int max_pages = 100;  // a bound on paginated listings
};

// What the client needs from outside; all must outlive it.
struct Ec2ClientServices {
    util::HttpClient& http;
    CredentialsProvider& credentials;
    const util::Clock& clock;  // wall time signs the requests
    util::Sleeper& sleeper;
    std::function<double()> unit_random;  // empty: default_unit_random()
};

// A launch refused for want of capacity or quota (is_capacity_error_code) is an outcome, not a
// failure, so that the caller can try on-demand or another instance type.
struct RunInstancesOutcome {
    RunInstancesResponse launched;
    std::optional<Ec2Error> capacity_refusal;  // set when nothing was launched for that reason
};

// Thread-safe.
class Ec2Client {
public:
    static util::Result<std::unique_ptr<Ec2Client>> create(Ec2ClientServices services,
                                                           Ec2ClientOptions options);

    // Without a client_token in the request, one is made up so that retries launch nothing twice.
    util::Result<RunInstancesOutcome> run_instances(const RunInstancesRequest& request);
    util::Result<DescribeInstancesPage> describe_instances_page(
        const DescribeInstancesRequest& request, const std::string& next_token = {});
    // Every page.
    util::Result<std::vector<Ec2Instance>> describe_instances(
        const DescribeInstancesRequest& request);
    util::Result<std::vector<InstanceStateChange>> terminate_instances(
        const std::vector<std::string>& instance_ids);
    // Every page.
    util::Result<std::vector<SpotPrice>> describe_spot_price_history(
        const SpotPriceRequest& request);
    util::Status create_tags(const std::vector<std::string>& resource_ids,
                             const std::vector<Tag>& tags);

    // EC2 Fleet (ec2_client_fleet.cpp). A template of that name that exists already is no error:
    // a restarted manager finds its fleet's own.
    util::Result<LaunchTemplateInfo> create_launch_template(
        const CreateLaunchTemplateRequest& request);
    // A template that is gone already is no error, so a second call is harmless.
    util::Status delete_launch_template(const std::string& name);
    // Without a client_token, one is made up so that retries launch nothing twice. Pools that
    // could not be used are errors in the answer, next to what was launched, not a failure.
    util::Result<CreateFleetResponse> create_fleet(const CreateFleetRequest& request);

    const std::string& endpoint() const { return m_endpoint; }

private:
    struct Reply {
        std::string body;               // the success answer's XML
        std::optional<Ec2Error> error;  // EC2's final error answer, after any retries
        int attempts = 0;
    };

    Ec2Client(Ec2ClientServices services, Ec2ClientOptions options, Url url);
    // One call, retried while EC2 throttles or fails on its side; an Error when no answer came.
    util::Result<Reply> exchange(const QueryParams& params);
    util::Result<util::HttpResponse> send_once(const std::string& body);
    // exchange(), with any EC2 error turned into a message for people.
    util::Result<std::string> call(const util::Result<QueryParams>& params);

    Ec2ClientServices m_services;
    Ec2ClientOptions m_options;
    std::string m_endpoint;
    Url m_url;
};

}  // namespace spotfarm::providers::aws
