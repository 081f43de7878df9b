#include "providers/aws/ec2_fleet_requests.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "providers/aws/ec2_query_params.h"
#include "providers/aws/ec2_requests.h"
#include "util/base64.h"

namespace spotfarm::providers::aws {
namespace {

bool is_template_name(std::string_view name) {
    return name.size() >= 3 && name.size() <= 128 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) ||
                      std::string_view("()./_-").find(c) != std::string_view::npos;
           });
}

util::Status check_template_name(std::string_view name) {
    if (is_template_name(name)) return {};
    return util::make_error("the launch template name '" + std::string(name) +
                            "' must be 3-128 letters, digits or ()./_-");
}

std::string decimal(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

void add_range(QueryParams& p, const std::string& prefix, IntRange range) {
    p.emplace_back(prefix + ".Min", std::to_string(range.min));
    if (range.max > 0) p.emplace_back(prefix + ".Max", std::to_string(range.max));
}

util::Status add_requirements(QueryParams& p, const std::string& prefix,
                              const InstanceRequirements& r) {
    if (r.vcpus.min < 1 || (r.vcpus.max > 0 && r.vcpus.max < r.vcpus.min))
        return util::make_error("instance requirements need at least 1 vCPU and min <= max, not " +
                                std::to_string(r.vcpus.min) + "-" + std::to_string(r.vcpus.max));
    if (r.memory_gib_per_vcpu_min < 0 || r.memory_mib_min < 0 || r.gpus_min < 0)
        return util::make_error("instance requirements cannot be negative");
    add_range(p, prefix + ".VCpuCount", r.vcpus);
    p.emplace_back(prefix + ".MemoryMiB.Min", std::to_string(r.memory_mib_min));
    if (r.memory_gib_per_vcpu_min > 0)
        p.emplace_back(prefix + ".MemoryGiBPerVCpu.Min", decimal(r.memory_gib_per_vcpu_min));
    if (r.gpus_min > 0) {
        p.emplace_back(prefix + ".AcceleratorType.1", "gpu");
        p.emplace_back(prefix + ".AcceleratorCount.Min", std::to_string(r.gpus_min));
        add_list(p, prefix + ".AcceleratorManufacturer", r.gpu_manufacturers);
    } else {
        // EC2 includes accelerated types unless told not to: a CPU render pays for no GPU.
        p.emplace_back(prefix + ".AcceleratorCount.Max", "0");
    }
    // A burstable type renders at its baseline once its credits are spent: slow and unpredictable.
    p.emplace_back(prefix + ".BurstablePerformance", r.allow_burstable ? "included" : "excluded");
    p.emplace_back(prefix + ".InstanceGeneration.1", "current");
    return {};
}

}  // namespace

util::Result<QueryParams> create_launch_template_params(const CreateLaunchTemplateRequest& r) {
    if (auto ok = check_template_name(r.name); !ok) return ok.error();
    if (r.image_id.empty())
        return util::make_error("CreateLaunchTemplate needs an AMI id (ImageId)");
    if (r.user_data.size() > k_max_user_data_bytes)
        return util::make_error("the user data is " + std::to_string(r.user_data.size()) +
                                " bytes; EC2 takes at most 16384");
    if (r.client_token.size() > 64)
        return util::make_error("an EC2 ClientToken has at most 64 characters");
    if (auto ok = check_tags(r.volume_tags); !ok) return ok.error();
    if (auto ok = check_tags(r.template_tags); !ok) return ok.error();
    if (auto ok = check_ids(r.security_group_ids, "security group"); !ok) return ok.error();

    QueryParams p = ec2_action("CreateLaunchTemplate");
    p.emplace_back("LaunchTemplateName", r.name);
    if (!r.client_token.empty()) p.emplace_back("ClientToken", r.client_token);
    const std::string data = "LaunchTemplateData";
    p.emplace_back(data + ".ImageId", r.image_id);
    if (!r.key_name.empty()) p.emplace_back(data + ".KeyName", r.key_name);
    add_list(p, data + ".SecurityGroupId", r.security_group_ids);
    if (!r.user_data.empty()) p.emplace_back(data + ".UserData", util::base64_encode(r.user_data));
    if (!r.iam_instance_profile_name.empty())
        p.emplace_back(data + ".IamInstanceProfile.Name", r.iam_instance_profile_name);
    // A worker that powers itself off is gone, not a stopped instance that still costs storage.
    p.emplace_back(data + ".InstanceInitiatedShutdownBehavior", "terminate");
    p.emplace_back(data + ".MetadataOptions.HttpTokens", "required");
    p.emplace_back(data + ".MetadataOptions.HttpEndpoint", "enabled");
    add_tag_specification(p, data + ".TagSpecification.1", "volume", r.volume_tags);
    add_tag_specification(p, "TagSpecification.1", "launch-template", r.template_tags);
    return p;
}

util::Result<QueryParams> delete_launch_template_params(const std::string& name) {
    if (auto ok = check_template_name(name); !ok) return ok.error();
    QueryParams p = ec2_action("DeleteLaunchTemplate");
    p.emplace_back("LaunchTemplateName", name);
    return p;
}

util::Result<QueryParams> create_fleet_params(const CreateFleetRequest& r) {
    if (auto ok = check_template_name(r.launch_template_name); !ok) return ok.error();
    if (r.overrides.empty())
        return util::make_error("CreateFleet needs at least one instance type or requirement");
    if (r.overrides.size() > k_max_fleet_overrides)
        return util::make_error(
            "CreateFleet takes at most 300 overrides (instance types x "
            "subnets), not " +
            std::to_string(r.overrides.size()) + "; give fewer types or subnets");
    if (r.total_capacity < 1 || r.on_demand_capacity < 0 || r.on_demand_capacity > r.total_capacity)
        return util::make_error(
            "CreateFleet needs 1 <= capacity and 0 <= on-demand <= capacity, "
            "not " +
            std::to_string(r.total_capacity) + " and " + std::to_string(r.on_demand_capacity));
    if (r.client_token.size() > 64)
        return util::make_error("an EC2 ClientToken has at most 64 characters");
    if (auto ok = check_tags(r.instance_tags); !ok) return ok.error();

    QueryParams p = ec2_action("CreateFleet");
    if (!r.client_token.empty()) p.emplace_back("ClientToken", r.client_token);
    p.emplace_back("Type", "instant");
    const std::string config = "LaunchTemplateConfigs.1";
    p.emplace_back(config + ".LaunchTemplateSpecification.LaunchTemplateName",
                   r.launch_template_name);
    p.emplace_back(config + ".LaunchTemplateSpecification.Version", r.launch_template_version);
    for (size_t i = 0; i < r.overrides.size(); ++i) {
        const FleetOverride& o = r.overrides[i];
        const std::string item = config + ".Overrides." + std::to_string(i + 1);
        if (o.requirements.has_value() == !o.instance_type.empty())
            return util::make_error(
                "each CreateFleet override names an instance type or "
                "requirements, not both or neither");
        if (!o.instance_type.empty()) p.emplace_back(item + ".InstanceType", o.instance_type);
        if (o.requirements)
            if (auto ok = add_requirements(p, item + ".InstanceRequirements", *o.requirements); !ok)
                return ok.error();
        if (!o.subnet_id.empty()) p.emplace_back(item + ".SubnetId", o.subnet_id);
    }
    const int spot_capacity = r.spot ? r.total_capacity - r.on_demand_capacity : 0;
    p.emplace_back("TargetCapacitySpecification.TotalTargetCapacity",
                   std::to_string(r.total_capacity));
    p.emplace_back("TargetCapacitySpecification.OnDemandTargetCapacity",
                   std::to_string(r.spot ? r.on_demand_capacity : r.total_capacity));
    p.emplace_back("TargetCapacitySpecification.SpotTargetCapacity", std::to_string(spot_capacity));
    p.emplace_back("TargetCapacitySpecification.DefaultTargetCapacityType",
                   r.spot ? "spot" : "on-demand");
    if (spot_capacity > 0) {
        p.emplace_back("SpotOptions.AllocationStrategy", std::string(to_string(r.spot_allocation)));
        p.emplace_back("SpotOptions.InstanceInterruptionBehavior", "terminate");
    }
    p.emplace_back("OnDemandOptions.AllocationStrategy", "lowest-price");
    add_tag_specification(p, "TagSpecification.1", "instance", r.instance_tags);
    return p;
}

}  // namespace spotfarm::providers::aws
