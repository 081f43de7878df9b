// The EC2 client, credentials and Spot watcher end to end over real HTTP (CurlHttpClient) against
// the loopback stand-ins for EC2 and IMDS, which verify every signature and parameter.
#include <gtest/gtest.h>

#include "providers/aws/credential_sources.h"
#include "providers/aws/ec2_client.h"
#include "providers/aws/user_data.h"
#include "support/expect_error.h"
#include "support/fake_ec2.h"
#include "support/fake_imds.h"
#include "support/recording_sleeper.h"
#include "support/scratch_dir.h"
#include "worker/spot_interruption_watcher.h"

namespace spotfarm::providers::aws {
namespace {

using namespace std::chrono_literals;
using spotfarm::testing::fails_mentioning;
using spotfarm::testing::FakeEc2;
using spotfarm::testing::FakeEc2Options;
using spotfarm::testing::FakeImds;
using spotfarm::testing::RecordingSleeper;

struct Loopback {
    explicit Loopback(Credentials keys = FakeEc2Options{}.credentials)
        : ec2({.region = "eu-west-1", .clock = &server_clock}), credentials(std::move(keys)) {}

    std::unique_ptr<Ec2Client> client() {
        return Ec2Client::create({http, credentials, client_clock, sleeper},
                                 {.region = "eu-west-1", .endpoint = ec2.endpoint()})
            .value();
    }

    util::SteadyClock server_clock;
    util::SteadyClock client_clock;
    FakeEc2 ec2;
    util::CurlHttpClient http;
    StaticCredentialsProvider credentials;
    RecordingSleeper sleeper;
};

RunInstancesRequest fleet_launch(int count, std::string token) {
    RunInstancesRequest r;
    r.image_id = "ami-0fedcba9876543210";
    r.instance_type = "c7i.4xlarge";
    r.min_count = 1;
    r.max_count = count;
    r.security_group_ids = {"sg-0123abcd"};
    r.subnet_id = "subnet-0a1b2c3d";
    r.iam_instance_profile_name = "spotfarm-worker";
    r.client_token = std::move(token);
    r.tags = {{"spotfarm:fleet", "job-42"}, {"Name", "spotfarm worker"}};
    UserDataOptions user_data;
    user_data.manager_url = "http://10.0.0.5:8700";
    user_data.join_token = "join-token-for-test";
    r.user_data = make_user_data(user_data).value();
    return r;
}

DescribeInstancesRequest fleet_filter() {
    DescribeInstancesRequest r;
    r.filters = {{"tag:spotfarm:fleet", {"job-42"}},
                 {"instance-state-name", {"pending", "running", "shutting-down", "stopping"}}};
    return r;
}

TEST(Ec2Loopback, LaunchListPageAndTerminateAFleet) {
    Loopback loop;
    auto ec2 = loop.client();
    auto launched = ec2->run_instances(fleet_launch(7, "job-42-1"));
    ASSERT_TRUE(launched.ok()) << launched.error().message;
    ASSERT_FALSE(launched->capacity_refusal.has_value());
    ASSERT_EQ(launched->launched.instances.size(), 7u);
    EXPECT_TRUE(launched->launched.instances[0].is_spot());

    // The same ClientToken launches nothing new.
    auto again = ec2->run_instances(fleet_launch(7, "job-42-1"));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->launched.instances[3].instance_id,
              launched->launched.instances[3].instance_id);
    ASSERT_EQ(loop.ec2.instances().size(), 7u);
    const auto stored = loop.ec2.instances().at(0);
    EXPECT_TRUE(stored.user_data.starts_with("#cloud-config\n"));
    EXPECT_EQ(stored.tags,
              (std::vector<Tag>{{"spotfarm:fleet", "job-42"}, {"Name", "spotfarm worker"}}));

    DescribeInstancesRequest paged = fleet_filter();
    paged.max_results = 5;
    auto listed = ec2->describe_instances(paged);
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    EXPECT_EQ(listed->size(), 7u);
    size_t describe_calls = 0;
    for (const auto& call : loop.ec2.calls()) describe_calls += call.action == "DescribeInstances";
    EXPECT_EQ(describe_calls, 2u);  // two pages of at most five

    std::vector<std::string> ids;
    for (const auto& instance : launched->launched.instances) ids.push_back(instance.instance_id);
    auto changes = ec2->terminate_instances({ids[0], ids[1]});
    ASSERT_TRUE(changes.ok()) << changes.error().message;
    EXPECT_EQ((*changes)[0].previous, InstanceState::running);
    EXPECT_EQ((*changes)[0].current, InstanceState::shutting_down);
    ASSERT_TRUE(ec2->describe_instances(fleet_filter()).ok());  // shutting-down -> terminated
    auto left = ec2->describe_instances(fleet_filter());
    ASSERT_TRUE(left.ok());
    EXPECT_EQ(left->size(), 5u);

    ASSERT_TRUE(ec2->create_tags({ids[2]}, {{"spotfarm:state", "draining"}}).ok());
    DescribeInstancesRequest by_id;
    by_id.instance_ids = {ids[2]};
    EXPECT_EQ(ec2->describe_instances(by_id)->at(0).tag("spotfarm:state"), "draining");
    EXPECT_EQ(loop.ec2.refused_signatures(), 0);
    EXPECT_TRUE(loop.sleeper.sleeps().empty());
}

TEST(Ec2Loopback, RequestsCarryWhatSpotfarmPromises) {
    Loopback loop;
    ASSERT_TRUE(loop.client()->run_instances(fleet_launch(1, "t")).ok());
    const auto calls = loop.ec2.calls();
    ASSERT_EQ(calls.size(), 1u);
    std::map<std::string, std::string> p(calls[0].params.begin(), calls[0].params.end());
    EXPECT_EQ(p["MetadataOptions.HttpTokens"], "required");
    EXPECT_EQ(p["InstanceInitiatedShutdownBehavior"], "terminate");
    EXPECT_EQ(p["InstanceMarketOptions.SpotOptions.SpotInstanceType"], "one-time");
    EXPECT_EQ(p["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"], "terminate");
    EXPECT_EQ(p["IamInstanceProfile.Name"], "spotfarm-worker");
    EXPECT_EQ(p["ClientToken"], "t");
}

TEST(Ec2Loopback, WrongKeysAreRejectedWithAClearMessage) {
    Loopback unknown_key({"AKIDUNKNOWN", "whatever"});
    EXPECT_TRUE(fails_mentioning(unknown_key.client()->describe_instances({}),
                                 "AWS rejected the credentials: AuthFailure"));
    Loopback wrong_secret({FakeEc2Options{}.credentials.access_key_id, "not-the-secret"});
    EXPECT_TRUE(fails_mentioning(wrong_secret.client()->describe_instances({}),
                                 "AWS rejected the credentials: SignatureDoesNotMatch"));
    EXPECT_EQ(wrong_secret.ec2.refused_signatures(), 1);

    Loopback injected;
    injected.ec2.fail_next("", 401, "AuthFailure",
                           "AWS was not able to validate the provided access credentials");
    EXPECT_TRUE(fails_mentioning(injected.client()->run_instances(fleet_launch(1, "x")),
                                 "AWS rejected the credentials"));
    EXPECT_TRUE(injected.ec2.instances().empty());
}

TEST(Ec2Loopback, SessionTokensAreSentAndSigned) {
    Credentials temporary{"ASIATEMPORARY", "temporary-secret", "temporary-session-token"};
    FakeEc2 ec2({.credentials = temporary, .region = "eu-west-1"});
    util::CurlHttpClient http;
    StaticCredentialsProvider with_token(temporary);
    StaticCredentialsProvider without_token({"ASIATEMPORARY", "temporary-secret"});
    util::SteadyClock clock;
    RecordingSleeper sleeper;
    auto good = Ec2Client::create({http, with_token, clock, sleeper},
                                  {.region = "eu-west-1", .endpoint = ec2.endpoint()});
    EXPECT_TRUE((*good)->describe_instances({}).ok());
    auto bad = Ec2Client::create({http, without_token, clock, sleeper},
                                 {.region = "eu-west-1", .endpoint = ec2.endpoint()});
    EXPECT_TRUE(fails_mentioning((*bad)->describe_instances({}), "security token"));
}

TEST(Ec2Loopback, AClockFarOffIsRefused) {
    Loopback loop;
    util::FakeClock year_2027;  // the stand-in checks against the real time
    auto ec2 = Ec2Client::create({loop.http, loop.credentials, year_2027, loop.sleeper},
                                 {.region = "eu-west-1", .endpoint = loop.ec2.endpoint()});
    auto result = (*ec2)->describe_instances({});
    EXPECT_TRUE(fails_mentioning(result, "RequestExpired"));
    EXPECT_TRUE(fails_mentioning(result, "clock"));
}

TEST(Ec2Loopback, ThrottlingIsRetriedWithBackoff) {
    Loopback loop;
    loop.ec2.fail_next("DescribeInstances", 503, "RequestLimitExceeded", "Request limit exceeded.",
                       3);
    auto ec2 = loop.client();
    auto listed = ec2->describe_instances({});
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    EXPECT_EQ(loop.sleeper.sleeps().size(), 3u);
    for (size_t i = 0; i < loop.sleeper.sleeps().size(); ++i)
        EXPECT_LE(loop.sleeper.sleeps()[i], 250ms * (1 << i));
    EXPECT_EQ(loop.ec2.calls().size(), 4u);
}

TEST(Ec2Loopback, NoSpotCapacityThenOnDemand) {
    Loopback loop;
    loop.ec2.fail_next("RunInstances", 500, "InsufficientInstanceCapacity",
                       "We currently do not have sufficient c7i.4xlarge capacity.");
    auto ec2 = loop.client();
    RunInstancesRequest request = fleet_launch(2, "spot-try");
    auto spot = ec2->run_instances(request);
    ASSERT_TRUE(spot.ok()) << spot.error().message;
    ASSERT_TRUE(spot->capacity_refusal.has_value());
    EXPECT_EQ(spot->capacity_refusal->code, "InsufficientInstanceCapacity");
    EXPECT_TRUE(loop.sleeper.sleeps().empty());

    request.spot = false;
    request.client_token = "on-demand-try";
    auto on_demand = ec2->run_instances(request);
    ASSERT_TRUE(on_demand.ok()) << on_demand.error().message;
    ASSERT_EQ(on_demand->launched.instances.size(), 2u);
    EXPECT_FALSE(on_demand->launched.instances[0].is_spot());
}

TEST(Ec2Loopback, EndpointThatIsNotThere) {
    Loopback loop;
    util::CurlHttpClient http;
    auto ec2 = Ec2Client::create(
        {http, loop.credentials, loop.client_clock, loop.sleeper},
        {.region = "eu-west-1", .endpoint = "http://127.0.0.1:1/", .retry = {.max_attempts = 2}});
    auto result = (*ec2)->describe_instances({});
    EXPECT_TRUE(fails_mentioning(result, "cannot reach EC2 at http://127.0.0.1:1/"));
    EXPECT_TRUE(fails_mentioning(result, "gave up after 2 attempts"));
}

TEST(ImdsLoopback, InstanceRoleCredentialsSignEc2Calls) {
    FakeImds imds;
    FakeEc2 ec2({.credentials = {"ASIAROLE", "role-secret", "role-token"}, .region = "eu-west-1"});
    imds.set_role("spotfarm-manager", ec2.credentials(),
                  std::chrono::system_clock::now() + std::chrono::hours(6));
    util::CurlHttpClient http;
    util::SteadyClock clock;
    spotfarm::test::ScratchDir home;
    auto credentials = resolve_credentials(
        [&](const std::string& name) -> std::optional<std::string> {
            if (name == "HOME") return home.path().string();
            return std::nullopt;
        },
        http, clock, {.imds = {.base_url = imds.base_url()}});
    ASSERT_TRUE(credentials.ok()) << credentials.error().message;
    RecordingSleeper sleeper;
    auto client = Ec2Client::create({http, **credentials, clock, sleeper},
                                    {.region = "eu-west-1", .endpoint = ec2.endpoint()});
    ASSERT_TRUE((*client)->describe_instances({}).ok());
    EXPECT_EQ(ec2.refused_signatures(), 0);
}

TEST(ImdsLoopback, WatcherSeesRebalanceThenInterruptionAndRenewsItsToken) {
    FakeImds imds;
    util::CurlHttpClient http;
    worker::SpotInterruptionWatcher watcher(http, {.base_url = imds.base_url()});
    auto quiet = watcher.poll();
    ASSERT_TRUE(quiet.ok()) << quiet.error().message;
    EXPECT_EQ(quiet->kind, worker::SpotNotice::Kind::none);

    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    imds.set_rebalance(now);
    EXPECT_EQ(watcher.poll()->kind, worker::SpotNotice::Kind::rebalance);

    imds.expire_tokens();
    imds.set_interruption("terminate", now + 2min);
    auto notice = watcher.poll();
    ASSERT_TRUE(notice.ok()) << notice.error().message;
    EXPECT_EQ(notice->kind, worker::SpotNotice::Kind::interruption);
    EXPECT_EQ(notice->action, "terminate");
    EXPECT_EQ(notice->time, now + 2min);
    EXPECT_EQ(imds.tokens_issued(), 2);
    EXPECT_EQ(imds.unauthorized_gets(), 1);
}

}  // namespace
}  // namespace spotfarm::providers::aws
