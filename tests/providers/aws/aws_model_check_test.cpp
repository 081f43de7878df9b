// The wire checker itself, against botocore's models from Debian's python3-botocore: that it
// accepts what botocore would send and answer, and names what it would not, for the Query
// (IAM), EC2, JSON 1.1 (SSM) and REST-JSON (EFS) protocols.
#include <gtest/gtest.h>

#include "support/aws_model_check.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::AwsModelCheck;

std::string joined(const std::vector<std::string>& problems) {
    std::string text;
    for (const auto& p : problems) text += p + "\n";
    return text;
}

TEST(AwsModelCheck, LoadsTheNewestModelOfEachService) {
    EXPECT_EQ(AwsModelCheck::load_service("ec2").protocol(), "ec2");
    EXPECT_EQ(AwsModelCheck::load_service("ec2").api_version(), "2016-11-15");
    EXPECT_EQ(AwsModelCheck::load_service("iam").protocol(), "query");
    EXPECT_EQ(AwsModelCheck::load_service("ssm").protocol(), "json");
    EXPECT_EQ(AwsModelCheck::load_service("elasticfilesystem").protocol(), "rest-json");
    EXPECT_EQ(AwsModelCheck::load_service("efs").api_version(), "2015-02-01");
    for (const char* service : {"ec2", "iam", "ssm", "elasticfilesystem"})
        EXPECT_EQ(AwsModelCheck::load_service(service).load_error(), "") << service;
}

TEST(AwsModelCheck, AMissingServiceSaysWhatToInstall) {
    const auto& none = AwsModelCheck::load_service("no-such-service");
    EXPECT_NE(none.load_error().find("python3-botocore"), std::string::npos) << none.load_error();
    EXPECT_EQ(joined(none.check_query_request({{"Action", "X"}})), none.load_error() + "\n");
}

TEST(AwsModelCheck, Ec2ListsAreNumberedRightAfterTheName) {
    const auto& ec2 = AwsModelCheck::load_service("ec2");
    QueryParams good{{"Action", "TerminateInstances"},
                     {"Version", "2016-11-15"},
                     {"InstanceId.1", "i-1"},
                     {"InstanceId.2", "i-2"}};
    EXPECT_EQ(joined(ec2.check_query_request(good)), "");
    QueryParams query_style{{"Action", "TerminateInstances"},
                            {"Version", "2016-11-15"},
                            {"InstanceId.member.1", "i-1"}};
    EXPECT_NE(joined(ec2.check_query_request(query_style)), "");
    QueryParams missing{{"Action", "TerminateInstances"}, {"Version", "2016-11-15"}};
    EXPECT_EQ(joined(ec2.check_query_request(missing)), "InstanceId is required\n");
    QueryParams old{
        {"Action", "TerminateInstances"}, {"Version", "2014-09-01"}, {"InstanceId.1", "i-1"}};
    EXPECT_EQ(joined(ec2.check_query_request(old)),
              "Version is '2014-09-01', the model's is '2016-11-15'\n");
    QueryParams wrong_enum{{"Action", "CreateFleet"},
                           {"Version", "2016-11-15"},
                           {"Type", "sometimes"},
                           {"TargetCapacitySpecification.TotalTargetCapacity", "2"},
                           {"LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "1"}};
    EXPECT_EQ(joined(ec2.check_query_request(wrong_enum)),
              "Type: 'sometimes' is not one of the enum's values\n");
}

TEST(AwsModelCheck, InstanceTypesNewerThanTheModelPassByTheirForm) {
    const auto& ec2 = AwsModelCheck::load_service("ec2");
    auto run = [](const std::string& type) {
        return QueryParams{{"Action", "RunInstances"},
                           {"Version", "2016-11-15"},
                           {"MinCount", "1"},
                           {"MaxCount", "1"},
                           {"InstanceType", type}};
    };
    EXPECT_EQ(joined(ec2.check_query_request(run("c5.large"))), "");
    EXPECT_EQ(joined(ec2.check_query_request(run("c99z.48xlarge"))), "");
    EXPECT_NE(joined(ec2.check_query_request(run("c7i 4xlarge"))), "");
    EXPECT_NE(joined(ec2.check_query_request(run("C7I.4XLARGE"))), "");
}

TEST(AwsModelCheck, IamListsGoByMemberAndAnswersByResult) {
    const auto& iam = AwsModelCheck::load_service("iam");
    QueryParams role{{"Action", "CreateRole"},          {"Version", "2010-05-08"},
                     {"RoleName", "spotfarm-worker"},   {"AssumeRolePolicyDocument", "{}"},
                     {"Tags.member.1.Key", "spotfarm"}, {"Tags.member.1.Value", "yes"}};
    EXPECT_EQ(joined(iam.check_query_request(role)), "");
    QueryParams ec2_style = role;
    ec2_style[4].first = "Tags.1.Key";
    ec2_style[5].first = "Tags.1.Value";
    EXPECT_EQ(joined(iam.check_query_request(ec2_style)),
              "Tags.1.Key: a list's items go by 'member', not '1'\n"
              "Tags.1.Value: a list's items go by 'member', not '1'\n");
    QueryParams nameless{
        {"Action", "CreateRole"}, {"Version", "2010-05-08"}, {"AssumeRolePolicyDocument", "{}"}};
    EXPECT_EQ(joined(iam.check_query_request(nameless)), "RoleName is required\n");

    const std::string listed =
        R"(<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListRolesResult>
    <IsTruncated>false</IsTruncated>
    <Roles><member><RoleName>spotfarm-worker</RoleName><Path>/</Path></member></Roles>
  </ListRolesResult>
  <ResponseMetadata><RequestId>7a62c49f</RequestId></ResponseMetadata>
</ListRolesResponse>)";
    EXPECT_EQ(joined(iam.check_query_response("ListRoles", listed)), "");
    std::string unwrapped = listed;
    unwrapped.replace(unwrapped.find("<member>"), 8, "<item>");
    unwrapped.replace(unwrapped.find("</member>"), 9, "</item>");
    EXPECT_EQ(joined(iam.check_query_response("ListRoles", unwrapped)),
              "/ListRolesResult/Roles/item: a list's items are <member>\n");
}

TEST(AwsModelCheck, SsmBodiesAreCheckedByTypeAndRequiredMembers) {
    const auto& ssm = AwsModelCheck::load_service("ssm");
    EXPECT_EQ(
        joined(ssm.check_json_request("GetParameter", R"({"Name":"/x","WithDecryption":true})")),
        "");
    EXPECT_EQ(joined(ssm.check_json_request("GetParameter", R"({"WithDecryption":"yes"})")),
              "WithDecryption: \"yes\" is not true or false\nName is required\n");
    EXPECT_EQ(joined(ssm.check_json_request("GetParameter", R"({"Name":"/x","Nmae":1})")),
              "Nmae is not a member here\n");
    EXPECT_EQ(joined(ssm.check_json_response(
                  "GetParameter",
                  R"({"Parameter":{"Name":"/x","Type":"String","Value":"v","Version":3,
                      "LastModifiedDate":1.7e9}})")),
              "");
    EXPECT_EQ(joined(ssm.check_json_response("GetParameter", R"({"Parameter":{"Type":"Text"}})")),
              "Parameter.Type: 'Text' is not one of the enum's values\n");
}

TEST(AwsModelCheck, EfsBodiesLeaveOutWhatGoesInThePath) {
    const auto& efs = AwsModelCheck::load_service("elasticfilesystem");
    EXPECT_EQ(joined(efs.check_json_request(
                  "CreateMountTarget", R"({"FileSystemId":"fs-1","SubnetId":"subnet-0a1b2c3d"})")),
              "");
    EXPECT_EQ(joined(efs.check_json_request("CreateMountTarget", R"({"FileSystemId":"fs-1"})")),
              "SubnetId is required\n");
    EXPECT_EQ(
        joined(efs.check_rest_target("CreateMountTarget", "POST", "/2015-02-01/mount-targets")),
        "");
    EXPECT_EQ(joined(efs.check_rest_target("DescribeFileSystems", "GET",
                                           "/2015-02-01/file-systems?CreationToken=job-42")),
              "");
    EXPECT_EQ(joined(efs.check_rest_target("DescribeFileSystems", "GET",
                                           "/2015-02-01/file-systems?Token=job-42")),
              "query parameter 'Token' is not in the model\n");
    EXPECT_EQ(joined(efs.check_rest_target("DeleteFileSystem", "DELETE",
                                           "/2015-02-01/file-systems/fs-1")),
              "");
    EXPECT_NE(joined(efs.check_rest_target("DeleteFileSystem", "POST", "/2015-02-01/file-systems")),
              "");
}

}  // namespace
}  // namespace spotfarm::providers::aws
