// Every request spotfarm builds and every EC2 answer in tests/data/ec2/ checked against botocore's
// EC2 model: the names, types, enums and required members AWS's own SDK uses.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "providers/aws/ec2_requests.h"
#include "support/aws_model_check.h"
#include "support/test_bytes.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::AwsModelCheck;

std::string joined(const std::vector<std::string>& problems) {
    std::string text;
    for (const auto& p : problems) text += p + "\n";
    return text;
}

TEST(Ec2WireModel, RequestsMatchBotocore) {
    const auto& model = AwsModelCheck::load_service("ec2");
    RunInstancesRequest run;
    run.image_id = "ami-0fedcba9876543210";
    run.instance_type = "c7i.4xlarge";
    run.max_count = 3;
    run.key_name = "render-key";
    run.security_group_ids = {"sg-1"};
    run.subnet_id = "subnet-0a1b2c3d";
    run.user_data = "#cloud-config\n";
    run.iam_instance_profile_name = "spotfarm-worker";
    run.client_token = "job-42";
    run.spot_max_price = "0.5";
    run.tags = {{"spotfarm:fleet", "job-42"}};
    EXPECT_EQ(joined(model.check_query_request(run_instances_params(run).value())), "");
    run.spot = false;
    EXPECT_EQ(joined(model.check_query_request(run_instances_params(run).value())), "");

    DescribeInstancesRequest describe;
    describe.filters = {{"tag:spotfarm:fleet", {"job-42"}}};
    describe.max_results = 50;
    EXPECT_EQ(joined(model.check_query_request(describe_instances_params(describe, "tok").value())),
              "");
    EXPECT_EQ(joined(model.check_query_request(terminate_instances_params({"i-1", "i-2"}).value())),
              "");
    SpotPriceRequest prices;
    prices.instance_types = {"c7i.4xlarge"};
    prices.start_time = util::parse_iso8601_utc("2026-03-02T00:00:00Z").value();
    prices.availability_zone = "eu-west-1b";
    EXPECT_EQ(joined(model.check_query_request(spot_price_history_params(prices, "").value())), "");
    EXPECT_EQ(joined(model.check_query_request(create_tags_params({"i-1"}, {{"k", "v"}}).value())),
              "");
}

TEST(Ec2WireModel, RecordedAnswersMatchBotocore) {
    const auto& model = AwsModelCheck::load_service("ec2");
    for (const auto& [file, operation] : std::vector<std::pair<std::string, std::string>>{
             {"run_instances.xml", "RunInstances"},
             {"describe_instances_page1.xml", "DescribeInstances"},
             {"describe_instances_page2.xml", "DescribeInstances"},
             {"terminate_instances.xml", "TerminateInstances"},
             {"describe_spot_price_history.xml", "DescribeSpotPriceHistory"},
             {"create_fleet_partial.xml", "CreateFleet"},
             {"create_launch_template.xml", "CreateLaunchTemplate"},
             {"delete_launch_template.xml", "DeleteLaunchTemplate"}})
        EXPECT_EQ(joined(model.check_query_response(operation, spotfarm::testing::ec2_data(file))),
                  "")
            << file;
}

}  // namespace
}  // namespace spotfarm::providers::aws
