// The EC2 client against a scripted HttpClient: signing, retries, capacity refusals, pagination.
#include "providers/aws/ec2_client.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/fake_http_client.h"
#include "support/recording_sleeper.h"
#include "support/sigv4_verifier.h"
#include "support/test_bytes.h"
#include "util/percent_encoding.h"

namespace spotfarm::providers::aws {
namespace {

using namespace std::chrono_literals;
using spotfarm::testing::fails_mentioning;
using spotfarm::testing::FakeHttpClient;
using spotfarm::testing::header_value;
using spotfarm::testing::http_response;
using spotfarm::testing::RecordingSleeper;

std::map<std::string, std::string> params_of(const util::HttpRequest& request) {
    std::map<std::string, std::string> out;
    for (auto& [key, value] : util::parse_query(request.body)) out[key] = value;
    return out;
}

RunInstancesRequest small_launch() {
    RunInstancesRequest r;
    r.image_id = "ami-1";
    r.instance_type = "c7i.4xlarge";
    r.client_token = "tok";
    return r;
}

// A client on a FakeHttpClient whose answers come from `handler`, with a fixed jitter of 0.5.
struct Harness {
    explicit Harness(FakeHttpClient::Handler handler, Credentials keys = {"AKIDTEST", "secret"},
                     std::string endpoint = {})
        : http(std::move(handler)), credentials(std::move(keys)) {
        client = Ec2Client::create({http, credentials, clock, sleeper, [] { return 0.5; }},
                                   {.region = "eu-west-1", .endpoint = std::move(endpoint)})
                     .value();
    }
    FakeHttpClient http;
    StaticCredentialsProvider credentials;
    util::FakeClock clock;
    RecordingSleeper sleeper;
    std::unique_ptr<Ec2Client> client;
};

// Answers with `answers` in turn, then repeats the last.
FakeHttpClient::Handler script(std::vector<util::Result<util::HttpResponse>> answers) {
    auto next = std::make_shared<size_t>(0);
    return [answers = std::move(answers), next](const util::HttpRequest&) {
        const size_t i = std::min(*next, answers.size() - 1);
        ++*next;
        return answers[i];
    };
}

TEST(Ec2Client, SignsFormPostsForEc2) {
    util::FakeClock server_clock;
    Credentials keys{"AKIDTEST", "secret", "session-token"};
    Harness h(
        [&](const util::HttpRequest& request) -> util::Result<util::HttpResponse> {
            spotfarm::testing::ReceivedRequest received{request.method, "/", request.headers,
                                                        request.body};
            if (auto error = spotfarm::testing::verify_sigv4(
                    received, {keys, "eu-west-1", "ec2", server_clock.wall_now()}))
                return http_response(error->http_status, error->code);
            return http_response(200, spotfarm::testing::ec2_data("run_instances.xml"));
        },
        keys);
    auto outcome = h.client->run_instances(small_launch());
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_FALSE(outcome->capacity_refusal.has_value());
    EXPECT_EQ(outcome->launched.instances.size(), 2u);

    const auto request = h.http.requests().at(0);
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, "https://ec2.eu-west-1.amazonaws.com/");
    EXPECT_EQ(header_value(request, "Host"), "ec2.eu-west-1.amazonaws.com");
    EXPECT_EQ(header_value(request, "Content-Type"),
              "application/x-www-form-urlencoded; charset=utf-8");
    EXPECT_EQ(header_value(request, "X-Amz-Date"), "20270115T080000Z");
    EXPECT_EQ(header_value(request, "X-Amz-Security-Token"), "session-token");
    EXPECT_TRUE(header_value(request, "Authorization")
                    .starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/20270115/eu-west-1/ec2/"
                                 "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                                 "x-amz-security-token, Signature="));
    EXPECT_EQ(params_of(request).at("Action"), "RunInstances");
    EXPECT_EQ(params_of(request).at("Version"), "2016-11-15");
    EXPECT_TRUE(h.sleeper.sleeps().empty());
}

TEST(Ec2Client, WrongKeysAreNotRetriedAndSayWhat) {
    Harness h(script({http_response(401, spotfarm::testing::ec2_data("error_auth_failure.xml"))}));
    auto result = h.client->describe_instances({});
    EXPECT_TRUE(fails_mentioning(result, "AWS rejected the credentials: AuthFailure"));
    EXPECT_EQ(h.http.requests().size(), 1u);
    EXPECT_TRUE(h.sleeper.sleeps().empty());
}

TEST(Ec2Client, RetriesThrottlingWithExponentialJitteredBackoff) {
    const auto throttled =
        http_response(503, spotfarm::testing::ec2_data("error_request_limit_exceeded.xml"));
    Harness h(script({throttled, throttled, util::HttpResponse{502, {}, "<html>bad gateway"},
                      http_response(200, spotfarm::testing::ec2_data("terminate_instances.xml"))}));
    auto changes = h.client->terminate_instances({"i-0123456789abcdef0", "i-0123456789abcdef1"});
    ASSERT_TRUE(changes.ok()) << changes.error().message;
    EXPECT_EQ(changes->size(), 2u);
    EXPECT_EQ(h.http.requests().size(), 4u);
    // Full jitter at 0.5 of base 250 ms * 2^retry.
    EXPECT_EQ(h.sleeper.sleeps(), (std::vector<std::chrono::milliseconds>{125ms, 250ms, 500ms}));
    // Each retry is signed afresh.
    for (const auto& request : h.http.requests())
        EXPECT_FALSE(header_value(request, "Authorization").empty());
}

TEST(Ec2Client, GivesUpOnEndlessThrottling) {
    Harness h(script(
        {http_response(503, spotfarm::testing::ec2_data("error_request_limit_exceeded.xml"))}));
    auto result = h.client->describe_instances({});
    EXPECT_TRUE(fails_mentioning(result, "EC2 is throttling requests"));
    EXPECT_TRUE(fails_mentioning(result, "gave up after 6 attempts"));
    EXPECT_EQ(h.http.requests().size(), 6u);
    const auto sleeps = h.sleeper.sleeps();
    ASSERT_EQ(sleeps.size(), 5u);
    EXPECT_EQ(sleeps.back(), 2000ms);  // 0.5 * 250 ms * 2^4
}

TEST(Ec2Client, BackoffIsCappedAndSpansZeroToTheCeiling) {
    const RetryPolicy policy{.max_attempts = 10, .base_delay = 100ms, .max_delay = 1000ms};
    EXPECT_EQ(backoff_delay(policy, 0, 0.0), 0ms);
    EXPECT_EQ(backoff_delay(policy, 0, 0.999), 99ms);
    EXPECT_EQ(backoff_delay(policy, 3, 0.999), 799ms);
    EXPECT_EQ(backoff_delay(policy, 4, 0.999), 999ms);
    EXPECT_EQ(backoff_delay(policy, 60, 0.5), 500ms);
    const auto random = default_unit_random();
    for (int i = 0; i < 100; ++i) {
        const double x = random();
        EXPECT_GE(x, 0.0);
        EXPECT_LT(x, 1.0);
    }
}

TEST(Ec2Client, CapacityRefusalIsAnOutcomeAndNotRetried) {
    Harness h(script({http_response(
        500, spotfarm::testing::ec2_data("error_insufficient_instance_capacity.xml"))}));
    auto outcome = h.client->run_instances(small_launch());
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_TRUE(outcome->capacity_refusal.has_value());
    EXPECT_EQ(outcome->capacity_refusal->code, "InsufficientInstanceCapacity");
    EXPECT_TRUE(outcome->launched.instances.empty());
    EXPECT_EQ(h.http.requests().size(), 1u);

    Harness quota(script({http_response(
        400, spotfarm::testing::ec2_data("error_max_spot_instance_count_exceeded.xml"))}));
    auto refused = quota.client->run_instances(small_launch());
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(refused->capacity_refusal->code, "MaxSpotInstanceCountExceeded");
}

TEST(Ec2Client, LaunchesWithoutATokenGetOneThatRetriesKeep) {
    const auto throttled =
        http_response(503, spotfarm::testing::ec2_data("error_request_limit_exceeded.xml"));
    Harness h(
        script({throttled, http_response(200, spotfarm::testing::ec2_data("run_instances.xml"))}));
    RunInstancesRequest request = small_launch();
    request.client_token.clear();
    ASSERT_TRUE(h.client->run_instances(request).ok());
    const auto requests = h.http.requests();
    ASSERT_EQ(requests.size(), 2u);
    const std::string token = params_of(requests[0]).at("ClientToken");
    EXPECT_TRUE(token.starts_with("spotfarm-")) << token;
    EXPECT_EQ(token.size(), 9u + 32u);
    EXPECT_EQ(params_of(requests[1]).at("ClientToken"), token);
    ASSERT_TRUE(h.client->run_instances(request).ok());
    EXPECT_NE(params_of(h.http.requests()[2]).at("ClientToken"), token);
}

TEST(Ec2Client, OtherLaunchErrorsAreErrors) {
    Harness h(script({http_response(400, spotfarm::testing::ec2_data("error_two_errors.xml"))}));
    EXPECT_TRUE(fails_mentioning(h.client->run_instances(small_launch()),
                                 "EC2 refused RunInstances: InvalidParameterValue"));
    RunInstancesRequest bad = small_launch();
    bad.image_id.clear();
    EXPECT_TRUE(fails_mentioning(h.client->run_instances(bad), "AMI"));
    EXPECT_EQ(h.http.requests().size(), 1u);  // the invalid one never left
}

TEST(Ec2Client, UnreachableEndpointIsRetriedThenReported) {
    Harness h(script({util::make_error("Connection refused")}));
    auto result = h.client->create_tags({"i-1"}, {{"k", "v"}});
    EXPECT_TRUE(
        fails_mentioning(result, "cannot reach EC2 at https://ec2.eu-west-1.amazonaws.com/"));
    EXPECT_TRUE(fails_mentioning(result, "Connection refused"));
    EXPECT_EQ(h.http.requests().size(), 6u);
}

TEST(Ec2Client, DescribeFollowsNextToken) {
    Harness h(
        script({http_response(200, spotfarm::testing::ec2_data("describe_instances_page1.xml")),
                http_response(200, spotfarm::testing::ec2_data("describe_instances_page2.xml"))}));
    DescribeInstancesRequest request;
    request.filters = {{"tag:spotfarm:fleet", {"job-42"}}};
    auto instances = h.client->describe_instances(request);
    ASSERT_TRUE(instances.ok()) << instances.error().message;
    ASSERT_EQ(instances->size(), 3u);
    EXPECT_EQ((*instances)[2].state, InstanceState::terminated);
    const auto requests = h.http.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(params_of(requests[0]).count("NextToken"), 0u);
    EXPECT_EQ(params_of(requests[1]).at("NextToken"), "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9");
    EXPECT_EQ(params_of(requests[1]).at("Filter.1.Value.1"), "job-42");
}

TEST(Ec2Client, SpotPricesAndTags) {
    Harness h(
        script({http_response(200, spotfarm::testing::ec2_data("describe_spot_price_history.xml")),
                http_response(200, spotfarm::testing::ec2_data("create_tags.xml"))}));
    auto prices = h.client->describe_spot_price_history({.instance_types = {"c7i.4xlarge"}});
    ASSERT_TRUE(prices.ok()) << prices.error().message;
    EXPECT_EQ(prices->size(), 3u);
    EXPECT_TRUE(h.client->create_tags({"i-1"}, {{"spotfarm:state", "draining"}}).ok());
    EXPECT_EQ(params_of(h.http.requests()[1]).at("Tag.1.Value"), "draining");
}

TEST(Ec2Client, TerminatesInBatchesOfAThousand) {
    Harness h(script({http_response(200, spotfarm::testing::ec2_data("terminate_instances.xml"))}));
    std::vector<std::string> ids;
    for (int i = 0; i < 1500; ++i) ids.push_back("i-" + std::to_string(i));
    auto changes = h.client->terminate_instances(ids);
    ASSERT_TRUE(changes.ok()) << changes.error().message;
    const auto requests = h.http.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(params_of(requests[0]).at("InstanceId.1000"), "i-999");
    EXPECT_EQ(params_of(requests[0]).count("InstanceId.1001"), 0u);
    EXPECT_EQ(params_of(requests[1]).at("InstanceId.1"), "i-1000");
    EXPECT_EQ(params_of(requests[1]).at("InstanceId.500"), "i-1499");
    EXPECT_TRUE(fails_mentioning(h.client->terminate_instances({}), "at least one"));
}

TEST(Ec2Client, EndpointOverrideAndValidation) {
    Harness h(script({http_response(200, spotfarm::testing::ec2_data("create_tags.xml"))}),
              {"AKIDTEST", "secret"}, "http://127.0.0.1:8123/ec2/");
    ASSERT_TRUE(h.client->create_tags({"i-1"}, {{"k", "v"}}).ok());
    const auto request = h.http.requests().at(0);
    EXPECT_EQ(request.url, "http://127.0.0.1:8123/ec2/");
    EXPECT_EQ(header_value(request, "Host"), "127.0.0.1:8123");

    FakeHttpClient http(script({http_response(200)}));
    StaticCredentialsProvider keys({"A", "B"});
    util::FakeClock clock;
    RecordingSleeper sleeper;
    EXPECT_TRUE(fails_mentioning(Ec2Client::create({http, keys, clock, sleeper}, {.region = ""}),
                                 "not an AWS region"));
    EXPECT_TRUE(fails_mentioning(
        Ec2Client::create({http, keys, clock, sleeper}, {.region = "us-east-1", .endpoint = "x"}),
        "EC2 endpoint"));
    auto default_endpoint =
        Ec2Client::create({http, keys, clock, sleeper}, {.region = "us-east-2"});
    ASSERT_TRUE(default_endpoint.ok());
    EXPECT_EQ((*default_endpoint)->endpoint(), "https://ec2.us-east-2.amazonaws.com/");
}

TEST(Ec2Client, CredentialFailureStopsBeforeSending) {
    struct NoCredentials final : CredentialsProvider {
        util::Result<Credentials> credentials() override {
            return util::make_error("no AWS credentials found: set AWS_ACCESS_KEY_ID");
        }
    } none;
    FakeHttpClient http(script({http_response(200)}));
    util::FakeClock clock;
    RecordingSleeper sleeper;
    auto client = Ec2Client::create({http, none, clock, sleeper}, {.region = "eu-west-1"}).value();
    EXPECT_TRUE(fails_mentioning(client->describe_instances({}), "no AWS credentials found"));
    EXPECT_TRUE(http.requests().empty());
}

}  // namespace
}  // namespace spotfarm::providers::aws
