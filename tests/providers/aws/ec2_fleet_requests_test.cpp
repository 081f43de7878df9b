// The EC2 Fleet requests on the wire, exactly, and checked against botocore's EC2 model.
#include "providers/aws/ec2_fleet_requests.h"

#include <map>

#include <gtest/gtest.h>

#include "support/aws_model_check.h"
#include "support/expect_error.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::AwsModelCheck;
using spotfarm::testing::fails_mentioning;
using Expected = std::map<std::string, std::string>;

Expected fleet_params_map(const QueryParams& params) {
    Expected out;
    for (const auto& [key, value] : params) EXPECT_TRUE(out.emplace(key, value).second) << key;
    return out;
}

std::string problems_of(const QueryParams& params) {
    std::string text;
    for (const auto& problem : AwsModelCheck::load_service("ec2").check_query_request(params))
        text += problem + "\n";
    return text;
}

CreateLaunchTemplateRequest template_request() {
    CreateLaunchTemplateRequest r;
    r.name = "spotfarm-job-42";
    r.image_id = "ami-0fedcba9876543210";
    r.key_name = "render-key";
    r.security_group_ids = {"sg-1", "sg-2"};
    r.user_data = "#cloud-config\npackages: [nfs-common]\n";
    r.iam_instance_profile_name = "spotfarm-worker";
    r.volume_tags = {{"spotfarm:fleet", "job-42"}};
    r.template_tags = {{"spotfarm:fleet", "job-42"}};
    return r;
}

CreateFleetRequest fleet_request() {
    CreateFleetRequest r;
    r.client_token = "job-42-launch-1";
    r.launch_template_name = "spotfarm-job-42";
    r.overrides = {{.instance_type = "c7i.4xlarge", .subnet_id = "subnet-a"},
                   {.instance_type = "c6i.4xlarge", .subnet_id = "subnet-a"},
                   {.instance_type = "c7i.4xlarge", .subnet_id = "subnet-b"},
                   {.instance_type = "c6i.4xlarge", .subnet_id = "subnet-b"}};
    r.total_capacity = 12;
    r.on_demand_capacity = 2;
    r.instance_tags = {{"spotfarm:fleet", "job-42"}, {"spotfarm:job", "7"}};
    return r;
}

TEST(Ec2FleetRequests, LaunchTemplateWithEverything) {
    auto params = create_launch_template_params(template_request());
    ASSERT_TRUE(params.ok()) << params.error().message;
    const Expected expected = {
        {"Action", "CreateLaunchTemplate"},
        {"Version", "2016-11-15"},
        {"LaunchTemplateName", "spotfarm-job-42"},
        {"LaunchTemplateData.ImageId", "ami-0fedcba9876543210"},
        {"LaunchTemplateData.KeyName", "render-key"},
        {"LaunchTemplateData.SecurityGroupId.1", "sg-1"},
        {"LaunchTemplateData.SecurityGroupId.2", "sg-2"},
        {"LaunchTemplateData.UserData", "I2Nsb3VkLWNvbmZpZwpwYWNrYWdlczogW25mcy1jb21tb25dCg=="},
        {"LaunchTemplateData.IamInstanceProfile.Name", "spotfarm-worker"},
        {"LaunchTemplateData.InstanceInitiatedShutdownBehavior", "terminate"},
        {"LaunchTemplateData.MetadataOptions.HttpTokens", "required"},
        {"LaunchTemplateData.MetadataOptions.HttpEndpoint", "enabled"},
        {"LaunchTemplateData.TagSpecification.1.ResourceType", "volume"},
        {"LaunchTemplateData.TagSpecification.1.Tag.1.Key", "spotfarm:fleet"},
        {"LaunchTemplateData.TagSpecification.1.Tag.1.Value", "job-42"},
        {"TagSpecification.1.ResourceType", "launch-template"},
        {"TagSpecification.1.Tag.1.Key", "spotfarm:fleet"},
        {"TagSpecification.1.Tag.1.Value", "job-42"},
    };
    EXPECT_EQ(fleet_params_map(*params), expected);
    EXPECT_EQ(problems_of(*params), "");
}

TEST(Ec2FleetRequests, LaunchTemplateRefusesWhatEc2Would) {
    auto r = template_request();
    r.name = "sf";
    EXPECT_TRUE(fails_mentioning(create_launch_template_params(r), "3-128"));
    r = template_request();
    r.name = "spotfarm job";
    EXPECT_TRUE(fails_mentioning(create_launch_template_params(r), "3-128"));
    r = template_request();
    r.image_id.clear();
    EXPECT_TRUE(fails_mentioning(create_launch_template_params(r), "AMI"));
    r = template_request();
    r.user_data = std::string(16385, 'x');
    EXPECT_TRUE(fails_mentioning(create_launch_template_params(r), "16384"));
}

TEST(Ec2FleetRequests, DeleteLaunchTemplateByName) {
    const QueryParams expected = {{"Action", "DeleteLaunchTemplate"},
                                  {"Version", "2016-11-15"},
                                  {"LaunchTemplateName", "spotfarm-job-42"}};
    EXPECT_EQ(delete_launch_template_params("spotfarm-job-42").value(), expected);
    EXPECT_EQ(problems_of(expected), "");
    EXPECT_TRUE(fails_mentioning(delete_launch_template_params(""), "3-128"));
}

TEST(Ec2FleetRequests, InstantFleetOverEveryTypeAndSubnet) {
    auto params = create_fleet_params(fleet_request());
    ASSERT_TRUE(params.ok()) << params.error().message;
    const std::string o = "LaunchTemplateConfigs.1.Overrides.";
    const Expected expected = {
        {"Action", "CreateFleet"},
        {"Version", "2016-11-15"},
        {"ClientToken", "job-42-launch-1"},
        {"Type", "instant"},
        {"LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateName",
         "spotfarm-job-42"},
        {"LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "$Latest"},
        {o + "1.InstanceType", "c7i.4xlarge"},
        {o + "1.SubnetId", "subnet-a"},
        {o + "2.InstanceType", "c6i.4xlarge"},
        {o + "2.SubnetId", "subnet-a"},
        {o + "3.InstanceType", "c7i.4xlarge"},
        {o + "3.SubnetId", "subnet-b"},
        {o + "4.InstanceType", "c6i.4xlarge"},
        {o + "4.SubnetId", "subnet-b"},
        {"TargetCapacitySpecification.TotalTargetCapacity", "12"},
        {"TargetCapacitySpecification.OnDemandTargetCapacity", "2"},
        {"TargetCapacitySpecification.SpotTargetCapacity", "10"},
        {"TargetCapacitySpecification.DefaultTargetCapacityType", "spot"},
        {"SpotOptions.AllocationStrategy", "price-capacity-optimized"},
        {"SpotOptions.InstanceInterruptionBehavior", "terminate"},
        {"OnDemandOptions.AllocationStrategy", "lowest-price"},
        {"TagSpecification.1.ResourceType", "instance"},
        {"TagSpecification.1.Tag.1.Key", "spotfarm:fleet"},
        {"TagSpecification.1.Tag.1.Value", "job-42"},
        {"TagSpecification.1.Tag.2.Key", "spotfarm:job"},
        {"TagSpecification.1.Tag.2.Value", "7"},
    };
    EXPECT_EQ(fleet_params_map(*params), expected);
    EXPECT_EQ(problems_of(*params), "");
}

TEST(Ec2FleetRequests, OnDemandFleetAndOtherStrategies) {
    auto r = fleet_request();
    r.spot = false;
    const auto on_demand = fleet_params_map(create_fleet_params(r).value());
    EXPECT_EQ(on_demand.at("TargetCapacitySpecification.DefaultTargetCapacityType"), "on-demand");
    EXPECT_EQ(on_demand.at("TargetCapacitySpecification.OnDemandTargetCapacity"), "12");
    EXPECT_EQ(on_demand.at("TargetCapacitySpecification.SpotTargetCapacity"), "0");
    EXPECT_EQ(on_demand.count("SpotOptions.AllocationStrategy"), 0u);
    EXPECT_EQ(problems_of(create_fleet_params(r).value()), "");

    for (auto allocation : {SpotAllocation::capacity_optimized, SpotAllocation::lowest_price}) {
        r = fleet_request();
        r.spot_allocation = allocation;
        const auto params = create_fleet_params(r).value();
        EXPECT_EQ(fleet_params_map(params).at("SpotOptions.AllocationStrategy"),
                  to_string(allocation));
        EXPECT_EQ(problems_of(params), "");
    }
    EXPECT_EQ(spot_allocation_from("lowest-price"), SpotAllocation::lowest_price);
    EXPECT_FALSE(spot_allocation_from("cheapest").has_value());
}

TEST(Ec2FleetRequests, InstanceRequirementsInTheOverrides) {
    auto r = fleet_request();
    InstanceRequirements needs;
    needs.vcpus = {16, 32};
    needs.memory_gib_per_vcpu_min = 2;
    needs.memory_mib_min = 32768;
    r.overrides = {{.requirements = needs, .subnet_id = "subnet-a"}};
    auto params = create_fleet_params(r);
    ASSERT_TRUE(params.ok()) << params.error().message;
    const auto p = fleet_params_map(*params);
    const std::string n = "LaunchTemplateConfigs.1.Overrides.1.InstanceRequirements.";
    EXPECT_EQ(p.at(n + "VCpuCount.Min"), "16");
    EXPECT_EQ(p.at(n + "VCpuCount.Max"), "32");
    EXPECT_EQ(p.at(n + "MemoryMiB.Min"), "32768");
    EXPECT_EQ(p.at(n + "MemoryGiBPerVCpu.Min"), "2");
    EXPECT_EQ(p.at(n + "BurstablePerformance"), "excluded");
    EXPECT_EQ(p.at(n + "InstanceGeneration.1"), "current");
    EXPECT_EQ(p.count(n + "AcceleratorType.1"), 0u);
    EXPECT_EQ(p.at(n + "AcceleratorCount.Max"), "0");  // a CPU render pays for no GPU
    EXPECT_EQ(p.count("LaunchTemplateConfigs.1.Overrides.1.InstanceType"), 0u);
    EXPECT_EQ(problems_of(*params), "");

    needs.gpus_min = 1;
    needs.gpu_manufacturers = {"nvidia"};
    needs.vcpus = {8, 0};
    r.overrides = {{.requirements = needs}};
    const auto gpu = create_fleet_params(r).value();
    const auto g = fleet_params_map(gpu);
    EXPECT_EQ(g.at(n + "AcceleratorType.1"), "gpu");
    EXPECT_EQ(g.at(n + "AcceleratorCount.Min"), "1");
    EXPECT_EQ(g.at(n + "AcceleratorManufacturer.1"), "nvidia");
    EXPECT_EQ(g.count(n + "VCpuCount.Max"), 0u);
    EXPECT_EQ(problems_of(gpu), "");
}

TEST(Ec2FleetRequests, FleetRefusesWhatEc2Would) {
    auto r = fleet_request();
    r.overrides.clear();
    EXPECT_TRUE(fails_mentioning(create_fleet_params(r), "at least one"));
    r = fleet_request();
    r.overrides.assign(301, {.instance_type = "c7i.large"});
    EXPECT_TRUE(fails_mentioning(create_fleet_params(r), "at most 300"));
    r = fleet_request();
    r.on_demand_capacity = 13;
    EXPECT_TRUE(fails_mentioning(create_fleet_params(r), "on-demand"));
    r = fleet_request();
    r.overrides = {{.instance_type = "c7i.large", .requirements = InstanceRequirements{{2, 4}}}};
    EXPECT_TRUE(fails_mentioning(create_fleet_params(r), "not both"));
    r = fleet_request();
    r.overrides = {{.requirements = InstanceRequirements{{8, 4}}}};
    EXPECT_TRUE(fails_mentioning(create_fleet_params(r), "min <= max"));
}

// The model check itself finds what botocore would not send.
TEST(Ec2FleetRequests, TheModelCheckCatchesWrongNamesAndValues) {
    QueryParams p = create_fleet_params(fleet_request()).value();
    p.emplace_back("LaunchTemplateConfigs.1.Overrides.1.InstanceTypes", "c7i.large");
    p.emplace_back("SpotOptions.AllocationStrategy", "cheapest-first");
    p.emplace_back("TargetCapacitySpecification.TotalTargetCapacity", "many");
    const std::string problems = problems_of(p);
    EXPECT_NE(problems.find("'InstanceTypes' is not a member"), std::string::npos) << problems;
    EXPECT_NE(problems.find("'cheapest-first' is not one of"), std::string::npos) << problems;
    EXPECT_NE(problems.find("'many' is not an integer"), std::string::npos) << problems;
    const QueryParams missing = {{"Action", "CreateFleet"}, {"Version", "2016-11-15"}};
    EXPECT_NE(problems_of(missing).find("TargetCapacitySpecification is required"),
              std::string::npos);
}

}  // namespace
}  // namespace spotfarm::providers::aws
