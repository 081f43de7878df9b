// The manager's role: what the manager's instance may do in the account, and no more.
#include <nlohmann/json.hpp>

#include "providers/aws/aws_provider.h"
#include "providers/aws/cloud_setup.h"

namespace spotfarm::providers::aws {

std::string manager_trust_policy() {
    const nlohmann::json policy = {{"Version", "2012-10-17"},
                                   {"Statement",
                                    {{{"Effect", "Allow"},
                                      {"Principal", {{"Service", "ec2.amazonaws.com"}}},
                                      {"Action", "sts:AssumeRole"}}}}};
    return policy.dump();
}

std::string manager_role_policy(const std::string& region) {
    const std::string ec2 = "arn:aws:ec2:" + region + ":*:";
    const std::string fleet_tag = std::string(k_fleet_tag);
    // Instances, their volumes and interfaces, Spot requests and fleets carry the fleet tag from
    // the moment they are made (aws:RequestTag), so the role cannot launch anything untagged.
    const nlohmann::json tagged_resources = {ec2 + "instance/*", ec2 + "volume/*",
                                             ec2 + "network-interface/*",
                                             ec2 + "spot-instances-request/*", ec2 + "fleet/*"};
    // What a launch refers to without creating it.
    const nlohmann::json referenced = {ec2 + "subnet/*", ec2 + "security-group/*",
                                       ec2 + "launch-template/*", ec2 + "key-pair/*",
                                       "arn:aws:ec2:" + region + "::image/*"};
    const nlohmann::json in_region = {{"StringEquals", {{"aws:RequestedRegion", region}}}};
    const nlohmann::json policy = {
        {"Version", "2012-10-17"},
        {"Statement",
         {
             {{"Sid", "LaunchTaggedOnly"},
              {"Effect", "Allow"},
              {"Action", {"ec2:RunInstances", "ec2:CreateFleet"}},
              {"Resource", tagged_resources},
              {"Condition", {{"Null", {{"aws:RequestTag/" + fleet_tag, "false"}}}}}},
             {{"Sid", "LaunchFrom"},
              {"Effect", "Allow"},
              {"Action", {"ec2:RunInstances", "ec2:CreateFleet"}},
              {"Resource", referenced}},
             {{"Sid", "TagOnLaunch"},
              {"Effect", "Allow"},
              {"Action", "ec2:CreateTags"},
              {"Resource", "arn:aws:ec2:" + region + ":*:*/*"},
              {"Condition",
               {{"StringEquals",
                 {{"ec2:CreateAction",
                   {"RunInstances", "CreateFleet", "CreateLaunchTemplate"}}}}}}},
             {{"Sid", "TemplatesTagged"},
              {"Effect", "Allow"},
              {"Action", "ec2:CreateLaunchTemplate"},
              {"Resource", ec2 + "launch-template/*"},
              {"Condition", {{"Null", {{"aws:RequestTag/" + fleet_tag, "false"}}}}}},
             {{"Sid", "EndOnlySpotfarms"},
              {"Effect", "Allow"},
              {"Action",
               {"ec2:TerminateInstances", "ec2:DeleteLaunchTemplate", "ec2:DeleteFleets"}},
              {"Resource", {ec2 + "instance/*", ec2 + "launch-template/*", ec2 + "fleet/*"}},
              {"Condition", {{"Null", {{"aws:ResourceTag/" + fleet_tag, "false"}}}}}},
             // Describe calls have no resource-level permissions: AWS allows only "*".
             {{"Sid", "List"},
              {"Effect", "Allow"},
              {"Action",
               {"ec2:DescribeInstances", "ec2:DescribeInstanceTypes",
                "ec2:DescribeSpotPriceHistory", "ec2:DescribeLaunchTemplates", "ec2:DescribeFleets",
                "ec2:DescribeSubnets", "ec2:DescribeImages", "ec2:DescribeAvailabilityZones"}},
              {"Resource", "*"},
              {"Condition", in_region}},
             {{"Sid", "PassSpotfarmRoles"},
              {"Effect", "Allow"},
              {"Action", "iam:PassRole"},
              {"Resource", "arn:aws:iam::*:role/spotfarm/*"},
              {"Condition", {{"StringEquals", {{"iam:PassedToService", "ec2.amazonaws.com"}}}}}},
             {{"Sid", "SpotServiceRole"},
              {"Effect", "Allow"},
              {"Action", "iam:CreateServiceLinkedRole"},
              {"Resource", "*"},
              {"Condition",
               {{"StringEquals",
                 {{"iam:AWSServiceName", {"spot.amazonaws.com", "ec2fleet.amazonaws.com"}}}}}}},
             {{"Sid", "PublicImages"},
              {"Effect", "Allow"},
              {"Action", "ssm:GetParameter"},
              {"Resource", "arn:aws:ssm:" + region + "::parameter/aws/service/*"}},
         }}};
    return policy.dump(2);
}

}  // namespace spotfarm::providers::aws
