// Parses the hand-written EC2 answers in tests/data/ec2/ (shapes from the EC2 API Reference).
#include "providers/aws/ec2_responses.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "providers/aws/ec2_error.h"
#include "support/expect_error.h"
#include "support/test_bytes.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::fails_mentioning;

std::chrono::system_clock::time_point at(const char* iso) {
    return util::parse_iso8601_utc(iso).value();
}

TEST(Ec2Responses, RunInstances) {
    auto response = parse_run_instances(spotfarm::testing::ec2_data("run_instances.xml"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->reservation_id, "r-0a1b2c3d4e5f60718");
    ASSERT_EQ(response->instances.size(), 2u);
    const Ec2Instance& first = response->instances[0];
    EXPECT_EQ(first.instance_id, "i-0123456789abcdef0");
    EXPECT_EQ(first.instance_type, "c7i.4xlarge");
    EXPECT_EQ(first.image_id, "ami-0fedcba9876543210");
    EXPECT_EQ(first.state, InstanceState::pending);
    EXPECT_EQ(first.availability_zone, "eu-west-1b");
    EXPECT_EQ(first.private_ip, "10.0.1.17");
    EXPECT_EQ(first.public_ip, "");
    EXPECT_TRUE(first.is_spot());
    EXPECT_EQ(first.launch_time, at("2026-03-02T10:15:30Z"));
    EXPECT_EQ(first.tags,
              (std::vector<Tag>{{"spotfarm:fleet", "job-42"}, {"Name", "spotfarm worker"}}));
    EXPECT_EQ(first.tag("spotfarm:fleet"), "job-42");
    EXPECT_FALSE(first.tag("missing").has_value());
    EXPECT_EQ(response->instances[1].instance_id, "i-0123456789abcdef1");
}

TEST(Ec2Responses, DescribeInstancesAcrossReservationsAndPages) {
    auto page1 =
        parse_describe_instances(spotfarm::testing::ec2_data("describe_instances_page1.xml"));
    ASSERT_TRUE(page1.ok()) << page1.error().message;
    ASSERT_EQ(page1->instances.size(), 2u);
    EXPECT_EQ(page1->next_token, "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9");
    const Ec2Instance& running = page1->instances[0];
    EXPECT_EQ(running.state, InstanceState::running);
    EXPECT_EQ(running.public_ip, "54.194.252.215");
    EXPECT_TRUE(running.is_spot());
    EXPECT_EQ(running.tag("Name"), "spotfarm worker");
    const Ec2Instance& on_demand = page1->instances[1];
    EXPECT_EQ(on_demand.instance_id, "i-0fedcba9876543210");
    EXPECT_EQ(on_demand.state, InstanceState::pending);
    EXPECT_FALSE(on_demand.is_spot());
    EXPECT_EQ(on_demand.availability_zone, "eu-west-1a");

    auto page2 =
        parse_describe_instances(spotfarm::testing::ec2_data("describe_instances_page2.xml"));
    ASSERT_TRUE(page2.ok()) << page2.error().message;
    EXPECT_EQ(page2->next_token, "");
    ASSERT_EQ(page2->instances.size(), 1u);
    EXPECT_EQ(page2->instances[0].state, InstanceState::terminated);
    EXPECT_EQ(page2->instances[0].state_reason,
              "Server.SpotInstanceTermination: Spot instance termination");
    EXPECT_EQ(page2->instances[0].transition_reason, "Service initiated (2026-03-02 10:40:12 GMT)");
}

TEST(Ec2Responses, TerminateInstances) {
    auto changes =
        parse_terminate_instances(spotfarm::testing::ec2_data("terminate_instances.xml"));
    ASSERT_TRUE(changes.ok()) << changes.error().message;
    ASSERT_EQ(changes->size(), 2u);
    EXPECT_EQ((*changes)[1].instance_id, "i-0123456789abcdef1");
    EXPECT_EQ((*changes)[1].current, InstanceState::shutting_down);
    EXPECT_EQ((*changes)[1].previous, InstanceState::running);
}

TEST(Ec2Responses, SpotPriceHistory) {
    auto page =
        parse_spot_price_history(spotfarm::testing::ec2_data("describe_spot_price_history.xml"));
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page->next_token, "");
    ASSERT_EQ(page->prices.size(), 3u);
    EXPECT_EQ(page->prices[1].instance_type, "c7i.4xlarge");
    EXPECT_EQ(page->prices[1].availability_zone, "eu-west-1b");
    EXPECT_EQ(page->prices[1].product_description, "Linux/UNIX");
    EXPECT_DOUBLE_EQ(page->prices[1].usd_per_hour, 0.2987);
    EXPECT_EQ(page->prices[1].timestamp, at("2026-03-02T08:12:40Z"));
    EXPECT_DOUBLE_EQ(page->prices[2].usd_per_hour, 0.142);
}

TEST(Ec2Responses, CreateTags) {
    EXPECT_TRUE(parse_create_tags(spotfarm::testing::ec2_data("create_tags.xml")).ok());
    EXPECT_TRUE(fails_mentioning(
        parse_create_tags("<CreateTagsResponse><return>false</return></CreateTagsResponse>"),
        "did not confirm"));
}

TEST(Ec2Responses, RefusesOtherDocuments) {
    EXPECT_TRUE(fails_mentioning(parse_run_instances("not xml <"), "is not XML"));
    EXPECT_TRUE(fails_mentioning(
        parse_run_instances(spotfarm::testing::ec2_data("terminate_instances.xml")),
        "<TerminateInstancesResponse> where <RunInstancesResponse>"));
    EXPECT_TRUE(fails_mentioning(
        parse_describe_instances(spotfarm::testing::ec2_data("error_auth_failure.xml")),
        "<Response>"));
    EXPECT_TRUE(fails_mentioning(
        parse_run_instances("<RunInstancesResponse><instancesSet/></RunInstancesResponse>"),
        "no launched instances"));
    EXPECT_TRUE(fails_mentioning(
        parse_spot_price_history("<DescribeSpotPriceHistoryResponse><spotPriceHistorySet><item>"
                                 "<spotPrice>cheap</spotPrice></item></spotPriceHistorySet>"
                                 "</DescribeSpotPriceHistoryResponse>"),
        "not a number"));
}

TEST(Ec2Errors, ParsesEveryRecordedError) {
    struct Case {
        const char* file;
        int status;
        const char* code;
        Ec2ErrorKind kind;
    };
    for (const Case& c :
         {Case{"error_auth_failure.xml", 401, "AuthFailure", Ec2ErrorKind::credentials},
          Case{"error_request_limit_exceeded.xml", 503, "RequestLimitExceeded",
               Ec2ErrorKind::throttled},
          Case{"error_insufficient_instance_capacity.xml", 500, "InsufficientInstanceCapacity",
               Ec2ErrorKind::capacity},
          Case{"error_max_spot_instance_count_exceeded.xml", 400, "MaxSpotInstanceCountExceeded",
               Ec2ErrorKind::capacity},
          Case{"error_unauthorized_operation.xml", 403, "UnauthorizedOperation",
               Ec2ErrorKind::permission},
          Case{"error_two_errors.xml", 400, "InvalidParameterValue", Ec2ErrorKind::request}}) {
        const auto error = parse_ec2_error(spotfarm::testing::ec2_data(c.file), c.status);
        ASSERT_TRUE(error.has_value()) << c.file;
        EXPECT_EQ(error->code, c.code);
        EXPECT_EQ(error->http_status, c.status);
        EXPECT_FALSE(error->message.empty());
        EXPECT_FALSE(error->request_id.empty());
        EXPECT_EQ(classify(*error), c.kind) << c.file;
    }
    EXPECT_FALSE(
        parse_ec2_error(spotfarm::testing::ec2_data("run_instances.xml"), 200).has_value());
    EXPECT_FALSE(parse_ec2_error("<html>Bad Gateway</html>", 502).has_value());
    EXPECT_FALSE(parse_ec2_error("", 503).has_value());
}

TEST(Ec2Errors, RetryOnlyThrottlingAndServerFailures) {
    EXPECT_TRUE(is_retryable({503, "RequestLimitExceeded", "", ""}));
    EXPECT_TRUE(is_retryable({400, "Throttling", "", ""}));
    EXPECT_TRUE(is_retryable({500, "InternalError", "", ""}));
    EXPECT_TRUE(is_retryable({502, "HTTP502", "", ""}));
    EXPECT_FALSE(is_retryable({500, "InsufficientInstanceCapacity", "", ""}));
    EXPECT_FALSE(is_retryable({401, "AuthFailure", "", ""}));
    EXPECT_FALSE(is_retryable({400, "InvalidAMIID.NotFound", "", ""}));
    for (auto code : {"InsufficientInstanceCapacity", "MaxSpotInstanceCountExceeded",
                      "SpotMaxPriceTooLow", "InsufficientCapacity"})
        EXPECT_TRUE(is_capacity_error_code(code)) << code;
    EXPECT_FALSE(is_capacity_error_code("InvalidParameterValue"));
}

TEST(Ec2Errors, MessagesForPeople) {
    const auto auth =
        parse_ec2_error(spotfarm::testing::ec2_data("error_auth_failure.xml"), 401).value();
    EXPECT_EQ(describe(auth, "RunInstances")
                  .rfind("AWS rejected the credentials: AuthFailure: AWS "
                         "was not able to validate",
                         0),
              0u);
    EXPECT_NE(describe(auth, "RunInstances").find("[request ea966190-f9aa-478e-9ede-cb5432daacc0]"),
              std::string::npos);
    const auto denied =
        parse_ec2_error(spotfarm::testing::ec2_data("error_unauthorized_operation.xml"), 403)
            .value();
    EXPECT_NE(describe(denied, "TerminateInstances").find("Grant ec2:TerminateInstances"),
              std::string::npos);
    const auto capacity =
        parse_ec2_error(spotfarm::testing::ec2_data("error_insufficient_instance_capacity.xml"),
                        500)
            .value();
    EXPECT_NE(describe(capacity, "RunInstances").find("Try on-demand"), std::string::npos);
    const auto bad =
        parse_ec2_error(spotfarm::testing::ec2_data("error_two_errors.xml"), 400).value();
    EXPECT_EQ(
        describe(bad, "RunInstances").rfind("EC2 refused RunInstances: InvalidParameterValue", 0),
        0u);
}

}  // namespace
}  // namespace spotfarm::providers::aws

namespace spotfarm::providers::aws {
namespace {

TEST(Ec2Types, StateCodesUseTheLowByte) {
    EXPECT_EQ(instance_state_from_code(16), InstanceState::running);
    EXPECT_EQ(instance_state_from_code(272), InstanceState::running);  // high byte is internal
    EXPECT_EQ(instance_state_from_code(80), InstanceState::stopped);
    EXPECT_EQ(instance_state_from_code(7), InstanceState::unknown);
    EXPECT_EQ(to_string(InstanceState::shutting_down), "shutting-down");
    for (auto state : {InstanceState::pending, InstanceState::running, InstanceState::shutting_down,
                       InstanceState::terminated, InstanceState::stopping, InstanceState::stopped})
        EXPECT_EQ(instance_state_from_code(instance_state_code(state)), state);
}

}  // namespace
}  // namespace spotfarm::providers::aws
