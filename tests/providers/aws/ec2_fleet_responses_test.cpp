// Parses the EC2 Fleet answers in tests/data/ec2/ and checks them against botocore's model.
#include "providers/aws/ec2_fleet_responses.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "providers/aws/ec2_error.h"
#include "support/aws_model_check.h"
#include "support/expect_error.h"
#include "support/test_bytes.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::AwsModelCheck;
using spotfarm::testing::fails_mentioning;

std::string problems(std::string_view operation, const std::string& xml) {
    std::string text;
    for (const auto& p : AwsModelCheck::load_service("ec2").check_query_response(operation, xml))
        text += p + "\n";
    return text;
}

TEST(Ec2FleetResponses, PartialSuccessKeepsInstancesAndEveryError) {
    const std::string xml = spotfarm::testing::ec2_data("create_fleet_partial.xml");
    EXPECT_EQ(problems("CreateFleet", xml), "");
    auto fleet = parse_create_fleet(xml);
    ASSERT_TRUE(fleet.ok()) << fleet.error().message;
    EXPECT_EQ(fleet->fleet_id, "fleet-8a3c2d1e-4b5f-4a6e-9c7d-0e1f2a3b4c5d");
    ASSERT_EQ(fleet->launched.size(), 2u);
    EXPECT_EQ(fleet->launched[0].instance_ids,
              (std::vector<std::string>{"i-0123456789abcdef0", "i-0123456789abcdef1"}));
    EXPECT_EQ(fleet->launched[0].instance_type, "c7i.4xlarge");
    EXPECT_EQ(fleet->launched[0].lifecycle, "spot");
    EXPECT_EQ(fleet->launched[0].pool.availability_zone, "eu-west-1a");
    EXPECT_EQ(fleet->launched[0].pool.subnet_id, "subnet-0a1b2c3d");
    EXPECT_EQ(fleet->launched[1].instance_type, "c6i.4xlarge");
    EXPECT_EQ(fleet->launched[1].pool.availability_zone, "eu-west-1b");
    ASSERT_EQ(fleet->errors.size(), 1u);
    EXPECT_EQ(fleet->errors[0].code, "InsufficientInstanceCapacity");
    EXPECT_EQ(fleet->errors[0].lifecycle, "spot");
    EXPECT_EQ(fleet->errors[0].pool.instance_type, "c7i.4xlarge");
    EXPECT_EQ(fleet->errors[0].pool.availability_zone, "eu-west-1b");
    EXPECT_TRUE(is_capacity_error_code(fleet->errors[0].code));
}

TEST(Ec2FleetResponses, LaunchTemplateMadeAndDeleted) {
    const std::string made = spotfarm::testing::ec2_data("create_launch_template.xml");
    EXPECT_EQ(problems("CreateLaunchTemplate", made), "");
    auto info = parse_create_launch_template(made);
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_EQ(info->id, "lt-0a20c965061f64abc");
    EXPECT_EQ(info->name, "spotfarm-job-42");
    EXPECT_FALSE(info->already_existed);

    const std::string deleted = spotfarm::testing::ec2_data("delete_launch_template.xml");
    EXPECT_EQ(problems("DeleteLaunchTemplate", deleted), "");
    EXPECT_TRUE(parse_delete_launch_template(deleted).ok());

    auto exists =
        parse_ec2_error(spotfarm::testing::ec2_data("error_launch_template_exists.xml"), 400);
    ASSERT_TRUE(exists.has_value());
    EXPECT_EQ(exists->code, "InvalidLaunchTemplateName.AlreadyExistsException");
}

TEST(Ec2FleetResponses, WrongAnswersAreRefused) {
    EXPECT_TRUE(fails_mentioning(
        parse_create_fleet(spotfarm::testing::ec2_data("create_launch_template.xml")),
        "<CreateFleetResponse> was expected"));
    EXPECT_TRUE(fails_mentioning(
        parse_create_fleet("<CreateFleetResponse><fleetId>fleet-1</fleetId></CreateFleetResponse>"),
        "neither instances nor errors"));
    EXPECT_TRUE(fails_mentioning(parse_create_launch_template("<CreateLaunchTemplateResponse/>"),
                                 "without an id"));
    EXPECT_TRUE(fails_mentioning(parse_delete_launch_template("not xml"), "not XML"));
}

// The model check itself: an element botocore does not know is reported.
TEST(Ec2FleetResponses, TheModelCheckCatchesUnknownElements) {
    std::string xml = spotfarm::testing::ec2_data("create_fleet_partial.xml");
    xml.replace(xml.find("<errorCode>"), 11, "<errorKode>");
    xml.replace(xml.find("</errorCode>"), 12, "</errorKode>");
    EXPECT_NE(problems("CreateFleet", xml).find("/errorSet/item/errorKode is not in the model"),
              std::string::npos)
        << problems("CreateFleet", xml);
}

}  // namespace
}  // namespace spotfarm::providers::aws
