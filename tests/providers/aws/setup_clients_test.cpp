// The clients `cloud setup` adds (IAM, SSM, EFS, EC2's network calls) against their stand-ins:
// endpoints by AWS's conventions, the answers read, and each protocol's errors made messages.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/aws/aws_endpoints.h"
#include "providers/aws/aws_services.h"
#include "providers/aws/cloud_setup.h"
#include "providers/aws/ssm_ami.h"
#include "support/fake_aws_account.h"
#include "support/recording_sleeper.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;

aws::Environment env_of(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    };
}

TEST(AwsEndpoints, ServiceVariableBeatsTheGlobalOneAndAFlagBeatsBoth) {
    const auto env =
        env_of({{"AWS_ENDPOINT_URL", "http://all:1/"}, {"AWS_ENDPOINT_URL_EFS", "http://efs:2/"}});
    EXPECT_EQ(aws::service_endpoint(env, aws::AwsService::efs, "eu-west-1"), "http://efs:2/");
    EXPECT_EQ(aws::service_endpoint(env, aws::AwsService::ssm, "eu-west-1"), "http://all:1/");
    EXPECT_EQ(aws::service_endpoint(env, aws::AwsService::ec2, "eu-west-1", "http://flag:3/"),
              "http://flag:3/");
    const auto ignored = env_of(
        {{"AWS_ENDPOINT_URL", "http://all:1/"}, {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
    EXPECT_EQ(aws::service_endpoint(ignored, aws::AwsService::ssm, "eu-west-1"),
              "https://ssm.eu-west-1.amazonaws.com/");
}

TEST(AwsEndpoints, AwsOwnEndpointsAndSigningNames) {
    const auto none = env_of({});
    EXPECT_EQ(aws::service_endpoint(none, aws::AwsService::iam, "eu-west-1"),
              "https://iam.amazonaws.com/");
    EXPECT_EQ(aws::signing_region(aws::AwsService::iam, "eu-west-1"), "us-east-1");
    EXPECT_EQ(aws::service_endpoint(none, aws::AwsService::efs, "ap-south-1"),
              "https://elasticfilesystem.ap-south-1.amazonaws.com/");
    EXPECT_EQ(aws::signing_name(aws::AwsService::efs), "elasticfilesystem");
    EXPECT_EQ(aws::service_endpoint(none, aws::AwsService::ec2, "us-east-2"),
              "https://ec2.us-east-2.amazonaws.com/");
}

struct Clients {
    FakeAwsAccount account;
    util::CurlHttpClient http;
    aws::StaticCredentialsProvider credentials{FakeAwsAccount::test_credentials()};
    RecordingSleeper sleeper;
    aws::AwsClientServices services() {
        return {http, credentials, util::steady_clock(), sleeper, [] { return 0.5; }};
    }
};

TEST(SsmAmi, ResolvesDebianAndTheGpuImageFromPublicParameters) {
    Clients c;
    c.account.ssm.put_parameter("/aws/service/debian/release/bookworm/latest/amd64",
                                "ami-0debian12");
    c.account.ssm.put_parameter(
        "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/"
        "ami-id",
        "ami-0gpu");
    auto ssm = aws::SsmClient::create(c.services(), "eu-west-1", c.account.ssm.endpoint());
    ASSERT_TRUE(ssm.ok()) << ssm.error().message;
    auto cpu = aws::resolve_ami(**ssm, aws::CpuArch::x86_64, false);
    ASSERT_TRUE(cpu.ok()) << cpu.error().message;
    EXPECT_EQ(*cpu, "ami-0debian12");
    auto gpu = aws::resolve_ami(**ssm, aws::CpuArch::x86_64, true);
    ASSERT_TRUE(gpu.ok()) << gpu.error().message;
    EXPECT_EQ(*gpu, "ami-0gpu");
    EXPECT_EQ(aws::ami_parameter_name(aws::CpuArch::arm64, false),
              "/aws/service/debian/release/bookworm/latest/arm64");
}

TEST(SsmAmi, AMissingParameterSaysToPassAmi) {
    Clients c;
    auto ssm = aws::SsmClient::create(c.services(), "eu-west-1", c.account.ssm.endpoint());
    ASSERT_TRUE(ssm.ok());
    auto ami = aws::resolve_ami(**ssm, aws::CpuArch::arm64, true);
    ASSERT_FALSE(ami.ok());
    EXPECT_EQ(ami.error().kind, util::ErrorKind::not_found);
    EXPECT_NE(ami.error().message.find("--ami"), std::string::npos);
    EXPECT_NE(ami.error().message.find("arm64/base-oss-nvidia-driver-gpu-ubuntu-22.04"),
              std::string::npos);
}

TEST(SsmClient, ThrottlingIsRetriedAndAccessDeniedNamesThePermission) {
    Clients c;
    c.account.ssm.put_parameter("/p", "ami-1");
    auto ssm = aws::SsmClient::create(c.services(), "eu-west-1", c.account.ssm.endpoint());
    ASSERT_TRUE(ssm.ok());
    c.account.ssm.fail_next(400, "ThrottlingException", "Rate exceeded", 2);
    auto value = (*ssm)->get_parameter("/p");
    ASSERT_TRUE(value.ok()) << value.error().message;
    EXPECT_EQ(value->value, "ami-1");
    EXPECT_EQ(c.sleeper.sleeps().size(), 2u);
    c.account.ssm.fail_next(400, "AccessDeniedException", "not authorized");
    auto denied = (*ssm)->get_parameter("/p");
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().kind, util::ErrorKind::unauthorized);
    EXPECT_NE(denied.error().message.find("ssm:GetParameter"), std::string::npos);
}

TEST(IamClient, WrongKeysAreACredentialsMessage) {
    Clients c;
    aws::StaticCredentialsProvider wrong({"AKIDFAKEACCOUNT", "not/the/secret"});
    auto iam =
        aws::IamClient::create({c.http, wrong, util::steady_clock(), c.sleeper, [] { return 0.5; }},
                               c.account.iam.endpoint());
    ASSERT_TRUE(iam.ok());
    auto role = (*iam)->get_role("anything");
    ASSERT_FALSE(role.ok());
    EXPECT_EQ(role.error().kind, util::ErrorKind::unauthorized);
    EXPECT_NE(role.error().message.find("rejected the credentials"), std::string::npos);
}

TEST(IamClient, RoleAndProfileRoundTrip) {
    Clients c;
    auto iam = aws::IamClient::create(c.services(), c.account.iam.endpoint());
    ASSERT_TRUE(iam.ok());
    auto none = (*iam)->get_role("r");
    ASSERT_TRUE(none.ok()) << none.error().message;
    EXPECT_FALSE(none->has_value());
    auto made = (*iam)->create_role("r", "/spotfarm/", aws::manager_trust_policy(),
                                    {{"spotfarm:setup", "x"}});
    ASSERT_TRUE(made.ok()) << made.error().message;
    EXPECT_EQ(made->arn, "arn:aws:iam::123456789012:role/spotfarm/r");
    ASSERT_TRUE((*iam)->put_role_policy("r", "p", "{}").ok());
    auto policies = (*iam)->list_role_policies("r");
    ASSERT_TRUE(policies.ok());
    EXPECT_EQ(*policies, std::vector<std::string>{"p"});
    ASSERT_TRUE((*iam)->create_instance_profile("r", "/spotfarm/", {}).ok());
    ASSERT_TRUE((*iam)->add_role_to_instance_profile("r", "r").ok());
    auto profile = (*iam)->get_instance_profile("r");
    ASSERT_TRUE(profile.ok() && profile->has_value());
    EXPECT_EQ((*profile)->role_names, std::vector<std::string>{"r"});
    EXPECT_EQ(c.account.iam.roles().at("r").trust_policy, aws::manager_trust_policy());
}

TEST(EfsClient, CreationTokenMakesCreateIdempotent) {
    Clients c;
    auto efs = aws::EfsClient::create(c.services(), "eu-west-1", c.account.efs.endpoint());
    ASSERT_TRUE(efs.ok());
    auto first = (*efs)->create_file_system("tok", {{"Name", "x"}});
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->life_cycle_state, "creating");
    auto second = (*efs)->create_file_system("tok", {{"Name", "x"}});
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->id, first->id);
    EXPECT_EQ(c.account.efs.file_systems().size(), 1u);
    auto missing = (*efs)->describe_file_system("fs-0000000000000dead");
    ASSERT_TRUE(missing.ok()) << missing.error().message;
    EXPECT_FALSE(missing->has_value());
}

TEST(Ec2NetworkClient, DuplicateRulesAndMissingGroupsAreNoErrors) {
    Clients c;
    auto ec2 = aws::Ec2NetworkClient::create(c.services(), "eu-west-1", c.account.ec2.endpoint());
    ASSERT_TRUE(ec2.ok());
    auto id = (*ec2)->create_security_group("vpc-0default", "g", "d", {{"spotfarm:setup", "x"}});
    ASSERT_TRUE(id.ok()) << id.error().message;
    const aws::IngressRule rule{22, 22, "10.0.0.0/8", "", ""};
    ASSERT_TRUE((*ec2)->authorize_ingress(*id, {rule}).ok());
    EXPECT_TRUE((*ec2)->authorize_ingress(*id, {rule}).ok());
    auto found = (*ec2)->find_security_group("vpc-0default", "g");
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->ingress, std::vector<aws::IngressRule>{rule});
    ASSERT_TRUE((*ec2)->delete_security_group(*id).ok());
    EXPECT_TRUE((*ec2)->delete_security_group(*id).ok());
}

TEST(ManagerRolePolicy, LaunchesAndEndsOnlyTaggedResourcesInItsRegion) {
    const auto policy = nlohmann::json::parse(aws::manager_role_policy("eu-west-1"));
    ASSERT_TRUE(policy["Statement"].is_array());
    bool launch_checked = false, terminate_checked = false;
    for (const auto& statement : policy["Statement"]) {
        EXPECT_EQ(statement["Effect"], "Allow");
        const auto actions = statement["Action"].is_array()
                                 ? statement["Action"].get<std::vector<std::string>>()
                                 : std::vector<std::string>{statement["Action"].get<std::string>()};
        for (const auto& action : actions) EXPECT_EQ(action.find('*'), std::string::npos) << action;
        const std::string resources = statement["Resource"].dump();
        const bool launches = std::count(actions.begin(), actions.end(), "ec2:RunInstances") > 0;
        if (launches && resources.find("instance/*") != std::string::npos) {
            EXPECT_EQ(statement["Condition"]["Null"]["aws:RequestTag/spotfarm:fleet"], "false");
            launch_checked = true;
        }
        if (std::count(actions.begin(), actions.end(), "ec2:TerminateInstances") > 0) {
            EXPECT_EQ(statement["Condition"]["Null"]["aws:ResourceTag/spotfarm:fleet"], "false");
            terminate_checked = true;
        }
        if (std::count(actions.begin(), actions.end(), "iam:PassRole") > 0) {
            EXPECT_EQ(statement["Resource"], "arn:aws:iam::*:role/spotfarm/*");
            EXPECT_EQ(statement["Condition"]["StringEquals"]["iam:PassedToService"],
                      "ec2.amazonaws.com");
        }
        if (resources.find("arn:aws:ec2:") != std::string::npos) {
            EXPECT_NE(resources.find("arn:aws:ec2:eu-west-1:"), std::string::npos) << resources;
        }
        if (statement["Resource"] == "*" && actions.front().starts_with("ec2:")) {
            for (const auto& action : actions) EXPECT_TRUE(action.starts_with("ec2:Describe"));
        }
    }
    EXPECT_TRUE(launch_checked);
    EXPECT_TRUE(terminate_checked);
}

}  // namespace
}  // namespace spotfarm::testing
