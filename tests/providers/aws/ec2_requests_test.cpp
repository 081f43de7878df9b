#include "providers/aws/ec2_requests.h"

#include <map>

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::fails_mentioning;

std::map<std::string, std::string> as_map(const QueryParams& params) {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : params) EXPECT_TRUE(out.emplace(key, value).second) << key;
    return out;
}

RunInstancesRequest spot_request() {
    RunInstancesRequest r;
    r.image_id = "ami-0fedcba9876543210";
    r.instance_type = "c7i.4xlarge";
    r.min_count = 1;
    r.max_count = 3;
    r.key_name = "render-key";
    r.security_group_ids = {"sg-1", "sg-2"};
    r.subnet_id = "subnet-0a1b2c3d";
    r.user_data = "#cloud-config\npackages: [nfs-common]\n";
    r.iam_instance_profile_name = "spotfarm-worker";
    r.client_token = "job-42-batch-1";
    r.tags = {{"spotfarm:fleet", "job-42"}, {"Name", "spotfarm worker"}};
    return r;
}

TEST(Ec2Requests, RunInstancesSpotWithEverything) {
    auto params = run_instances_params(spot_request());
    ASSERT_TRUE(params.ok()) << params.error().message;
    const auto p = as_map(*params);
    const std::map<std::string, std::string> expected = {
        {"Action", "RunInstances"},
        {"Version", "2016-11-15"},
        {"ImageId", "ami-0fedcba9876543210"},
        {"InstanceType", "c7i.4xlarge"},
        {"MinCount", "1"},
        {"MaxCount", "3"},
        {"ClientToken", "job-42-batch-1"},
        {"KeyName", "render-key"},
        {"SecurityGroupId.1", "sg-1"},
        {"SecurityGroupId.2", "sg-2"},
        {"SubnetId", "subnet-0a1b2c3d"},
        {"UserData", "I2Nsb3VkLWNvbmZpZwpwYWNrYWdlczogW25mcy1jb21tb25dCg=="},
        {"IamInstanceProfile.Name", "spotfarm-worker"},
        {"InstanceInitiatedShutdownBehavior", "terminate"},
        {"MetadataOptions.HttpTokens", "required"},
        {"MetadataOptions.HttpEndpoint", "enabled"},
        {"InstanceMarketOptions.MarketType", "spot"},
        {"InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"},
        {"InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"},
        {"TagSpecification.1.ResourceType", "instance"},
        {"TagSpecification.1.Tag.1.Key", "spotfarm:fleet"},
        {"TagSpecification.1.Tag.1.Value", "job-42"},
        {"TagSpecification.1.Tag.2.Key", "Name"},
        {"TagSpecification.1.Tag.2.Value", "spotfarm worker"},
        {"TagSpecification.2.ResourceType", "volume"},
        {"TagSpecification.2.Tag.1.Key", "spotfarm:fleet"},
        {"TagSpecification.2.Tag.1.Value", "job-42"},
        {"TagSpecification.2.Tag.2.Key", "Name"},
        {"TagSpecification.2.Tag.2.Value", "spotfarm worker"},
    };
    EXPECT_EQ(p, expected);
    EXPECT_EQ(params->front().first, "Action");
}

TEST(Ec2Requests, RunInstancesOnDemandAndMaxPrice) {
    RunInstancesRequest r = spot_request();
    r.spot = false;
    r.spot_max_price = "0.5";
    const auto on_demand = as_map(run_instances_params(r).value());
    EXPECT_EQ(on_demand.count("InstanceMarketOptions.MarketType"), 0u);
    EXPECT_EQ(on_demand.count("InstanceMarketOptions.SpotOptions.MaxPrice"), 0u);
    EXPECT_EQ(on_demand.at("InstanceInitiatedShutdownBehavior"), "terminate");
    r.spot = true;
    EXPECT_EQ(
        as_map(run_instances_params(r).value()).at("InstanceMarketOptions.SpotOptions.MaxPrice"),
        "0.5");

    RunInstancesRequest minimal;
    minimal.image_id = "ami-1";
    minimal.instance_type = "c7i.large";
    const auto p = as_map(run_instances_params(minimal).value());
    for (const char* absent : {"KeyName", "SubnetId", "UserData", "IamInstanceProfile.Name",
                               "ClientToken", "TagSpecification.1.ResourceType"})
        EXPECT_EQ(p.count(absent), 0u) << absent;
}

TEST(Ec2Requests, RunInstancesRefusesWhatEc2Would) {
    RunInstancesRequest r = spot_request();
    r.image_id.clear();
    EXPECT_TRUE(fails_mentioning(run_instances_params(r), "AMI"));
    r = spot_request();
    r.max_count = 0;
    EXPECT_TRUE(fails_mentioning(run_instances_params(r), "MinCount"));
    r = spot_request();
    r.user_data = std::string(k_max_user_data_bytes + 1, 'x');
    EXPECT_TRUE(fails_mentioning(run_instances_params(r), "16384"));
    r.user_data = std::string(k_max_user_data_bytes, 'x');
    EXPECT_TRUE(run_instances_params(r).ok());
    r = spot_request();
    r.tags.push_back({"aws:reserved", "x"});
    EXPECT_TRUE(fails_mentioning(run_instances_params(r), "aws:"));
    r = spot_request();
    r.client_token = std::string(65, 't');
    EXPECT_TRUE(fails_mentioning(run_instances_params(r), "ClientToken"));
}

TEST(Ec2Requests, DescribeInstancesFiltersIdsAndPages) {
    DescribeInstancesRequest r;
    r.filters = {{"tag:spotfarm:fleet", {"job-42"}},
                 {"instance-state-name", {"pending", "running"}}};
    r.max_results = 50;
    const auto p = describe_instances_params(r, "tok-2").value();
    const QueryParams expected = {{"Action", "DescribeInstances"},
                                  {"Version", "2016-11-15"},
                                  {"Filter.1.Name", "tag:spotfarm:fleet"},
                                  {"Filter.1.Value.1", "job-42"},
                                  {"Filter.2.Name", "instance-state-name"},
                                  {"Filter.2.Value.1", "pending"},
                                  {"Filter.2.Value.2", "running"},
                                  {"MaxResults", "50"},
                                  {"NextToken", "tok-2"}};
    EXPECT_EQ(p, expected);

    DescribeInstancesRequest ids;
    ids.instance_ids = {"i-1", "i-2"};
    const auto by_id = as_map(describe_instances_params(ids, "").value());
    EXPECT_EQ(by_id.at("InstanceId.1"), "i-1");
    EXPECT_EQ(by_id.at("InstanceId.2"), "i-2");
    EXPECT_EQ(by_id.count("NextToken"), 0u);
    ids.max_results = 10;
    EXPECT_TRUE(fails_mentioning(describe_instances_params(ids, ""), "not both"));
    r.max_results = 3;
    EXPECT_TRUE(fails_mentioning(describe_instances_params(r, ""), "5 to 1000"));
}

TEST(Ec2Requests, TerminateSpotPriceAndTags) {
    const QueryParams terminate = {{"Action", "TerminateInstances"},
                                   {"Version", "2016-11-15"},
                                   {"InstanceId.1", "i-1"},
                                   {"InstanceId.2", "i-2"}};
    EXPECT_EQ(terminate_instances_params({"i-1", "i-2"}).value(), terminate);
    EXPECT_TRUE(fails_mentioning(terminate_instances_params({}), "at least one"));
    EXPECT_TRUE(fails_mentioning(terminate_instances_params({"i-1", ""}), "empty instance id"));

    SpotPriceRequest prices;
    prices.instance_types = {"c7i.4xlarge", "c6i.4xlarge"};
    prices.start_time = util::parse_iso8601_utc("2026-03-02T00:00:00Z").value();
    prices.availability_zone = "eu-west-1b";
    const QueryParams spot = {
        {"Action", "DescribeSpotPriceHistory"}, {"Version", "2016-11-15"},
        {"InstanceType.1", "c7i.4xlarge"},      {"InstanceType.2", "c6i.4xlarge"},
        {"ProductDescription.1", "Linux/UNIX"}, {"StartTime", "2026-03-02T00:00:00Z"},
        {"AvailabilityZone", "eu-west-1b"}};
    EXPECT_EQ(spot_price_history_params(prices, "").value(), spot);

    const QueryParams tags = {{"Action", "CreateTags"},
                              {"Version", "2016-11-15"},
                              {"ResourceId.1", "i-1"},
                              {"Tag.1.Key", "spotfarm:state"},
                              {"Tag.1.Value", "draining"}};
    EXPECT_EQ(create_tags_params({"i-1"}, {{"spotfarm:state", "draining"}}).value(), tags);
    EXPECT_TRUE(fails_mentioning(create_tags_params({"i-1"}, {}), "at least one"));
    EXPECT_TRUE(
        fails_mentioning(create_tags_params({"i-1"}, {{std::string(129, 'k'), "v"}}), "1 to 128"));
}

}  // namespace
}  // namespace spotfarm::providers::aws
