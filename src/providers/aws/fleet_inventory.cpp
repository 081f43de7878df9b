#include "providers/aws/fleet_inventory.h"

#include <algorithm>

#include "providers/aws/aws_provider.h"

namespace spotfarm::providers::aws {
namespace {

// TerminateInstances takes at most 1000 ids a call.
constexpr size_t k_terminate_batch = 500;

}  // namespace

util::Result<std::vector<Ec2Instance>> find_spotfarm_instances(Ec2Client& ec2,
                                                               const std::string& fleet_id) {
    DescribeInstancesRequest request;
    if (fleet_id.empty())
        request.filters = {{"tag-key", {std::string(k_fleet_tag)}}};
    else
        request.filters = {{"tag:" + std::string(k_fleet_tag), {fleet_id}}};
    return ec2.describe_instances(request);
}

util::Result<std::vector<Ec2Instance>> terminate_spotfarm_instances(Ec2Client& ec2,
                                                                    const std::string& fleet_id) {
    auto instances = find_spotfarm_instances(ec2, fleet_id);
    if (!instances.ok()) return instances.error();
    std::vector<Ec2Instance> targets;
    for (const auto& instance : *instances)
        if (instance.state != InstanceState::shutting_down &&
            instance.state != InstanceState::terminated)
            targets.push_back(instance);
    for (size_t at = 0; at < targets.size(); at += k_terminate_batch) {
        std::vector<std::string> ids;
        const size_t end = std::min(targets.size(), at + k_terminate_batch);
        for (size_t i = at; i < end; ++i) ids.push_back(targets[i].instance_id);
        auto changes = ec2.terminate_instances(ids);
        if (!changes.ok()) {
            if (at == 0) return changes.error();
            return util::make_error(changes.error().message + " (after terminating " +
                                    std::to_string(at) + " instances; run it again)");
        }
    }
    return targets;
}

}  // namespace spotfarm::providers::aws
