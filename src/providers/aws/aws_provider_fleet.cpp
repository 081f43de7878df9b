// AwsProvider's launches through EC2 Fleet: one launch template per fleet, then instant fleets
// over every allowed instance type x subnet. Spot goes first, placed by the allocation strategy;
// what Spot cannot place is asked for on-demand; an on-demand base keeps that many workers off
// Spot for a render that must finish.
#include <algorithm>

#include "providers/aws/aws_provider.h"
#include "providers/aws/ec2_error.h"
#include "util/digest.h"

namespace spotfarm::providers::aws {
namespace {

// EC2 takes at most 64 characters; a longer token is replaced by its hash.
std::string fleet_client_token(const std::string& text) {
    return text.size() <= 64 ? text : util::sha256_hex(text).substr(0, 64);
}

std::string pool_text(const FleetPool& pool) {
    std::string text = pool.instance_type.empty() ? "the required types" : pool.instance_type;
    if (!pool.availability_zone.empty())
        text += " in " + pool.availability_zone;
    else if (!pool.subnet_id.empty())
        text += " in " + pool.subnet_id;
    return text;
}

// One line for each pool EC2 could not use.
std::string error_line(const FleetError& error) {
    const std::string market = error.lifecycle == "on-demand" ? "on-demand" : "Spot";
    const std::string what = is_capacity_error_code(error.code)
                                 ? "no " + market + " capacity for "
                                 : "EC2 Fleet could not launch " + market + " ";
    return what + pool_text(error.pool) + ": " + error.code +
           (error.message.empty() ? "" : " (" + error.message + ")");
}

bool live(InstanceState state) {
    return state == InstanceState::pending || state == InstanceState::running;
}

}  // namespace

std::string launch_template_name(const std::string& fleet_id) {
    return "spotfarm-" + fleet_id;
}

util::Status AwsProvider::ensure_launch_template() {
    {
        std::lock_guard lock(m_mutex);
        if (m_template_made) return {};
    }
    // No ClientToken: a retried create finds the template made and takes it as it is, while a
    // token would bring back a template deleted since.
    CreateLaunchTemplateRequest r;
    r.name = launch_template_name(m_options.fleet_id);
    r.image_id = m_options.image_id;
    r.key_name = m_options.key_name;
    r.security_group_ids = m_options.security_group_ids;
    r.user_data = m_options.user_data;
    r.iam_instance_profile_name = m_options.iam_instance_profile;
    r.volume_tags = {{std::string(k_fleet_tag), m_options.fleet_id},
                     {"Name", "spotfarm-worker " + m_options.fleet_id}};
    r.template_tags = {{std::string(k_fleet_tag), m_options.fleet_id}};
    auto made = m_ec2.create_launch_template(r);
    if (!made.ok()) return made.error();
    std::lock_guard lock(m_mutex);
    m_template_made = true;
    return {};
}

CreateFleetRequest AwsProvider::fleet_request(const StartRequest& request, bool spot, int count,
                                              int on_demand) const {
    CreateFleetRequest r;
    r.launch_template_name = launch_template_name(m_options.fleet_id);
    std::vector<std::string> subnets = m_options.subnet_ids;
    if (subnets.empty()) subnets.emplace_back();
    for (const auto& subnet : subnets) {
        if (m_options.requirements) {
            r.overrides.push_back({.requirements = m_options.requirements, .subnet_id = subnet});
            continue;
        }
        for (const auto& type : m_options.instance_types)
            r.overrides.push_back({.instance_type = type, .subnet_id = subnet});
    }
    r.total_capacity = count;
    r.on_demand_capacity = spot ? on_demand : count;
    r.spot = spot;
    r.spot_allocation = m_options.spot_allocation;
    r.instance_tags = instance_tags(request);
    if (!request.request_id.empty())
        r.client_token = fleet_client_token(m_options.fleet_id + "-" + request.request_id +
                                            (spot ? "-fleet" : "-fleet-od"));
    return r;
}

util::Result<StartResult> AwsProvider::launch_fleet(const StartRequest& request) {
    if (auto ok = ensure_launch_template(); !ok) return ok.error();
    int base = 0;
    if (m_options.spot && m_options.on_demand_base > 0) {
        auto instances = describe_fleet();
        if (!instances.ok()) return instances.error();
        const auto on_demand =
            std::count_if(instances->begin(), instances->end(),
                          [](const Ec2Instance& i) { return !i.is_spot() && live(i.state); });
        base = std::clamp(m_options.on_demand_base - int(on_demand), 0, request.count);
    }

    StartResult result;
    const auto wall_now = m_clock.wall_now();
    const std::vector<Tag> tags = instance_tags(request);
    bool spot_short = false;  // Spot capacity was refused somewhere
    auto take = [&](const CreateFleetResponse& answer) {
        for (const auto& group : answer.launched)
            for (const auto& id : group.instance_ids) {
                if (int(result.started.size()) == request.count) break;
                WorkerInstance worker;
                worker.id = id;
                worker.state = WorkerState::starting;
                worker.kind = group.instance_type;
                worker.zone = group.pool.availability_zone;
                worker.interruptible = group.lifecycle == "spot";
                for (const auto& tag : tags) worker.tags[tag.key] = tag.value;
                worker.started_at = wall_now;
                result.started.push_back(std::move(worker));
            }
        for (const auto& error : answer.errors) {
            result.notes.push_back(error_line(error));
            spot_short = spot_short ||
                         (error.lifecycle != "on-demand" && is_capacity_error_code(error.code));
        }
    };

    auto first = m_ec2.create_fleet(fleet_request(request, m_options.spot, request.count, base));
    if (!first.ok()) return first.error();
    take(first.value());
    const int remaining = request.count - int(result.started.size());
    if (remaining > 0 && m_options.spot && m_options.on_demand_fallback && spot_short) {
        auto second = m_ec2.create_fleet(fleet_request(request, false, remaining, remaining));
        if (!second.ok()) {
            if (result.started.empty()) return second.error();
            // What did start is tagged, so list_workers() finds it; report the rest.
            result.notes.push_back("stopped launching: " + second.error().message);
            return result;
        }
        take(second.value());
    }
    if (result.started.empty()) {
        std::string why;
        for (const auto& note : result.notes) why += "; " + note;
        return util::make_error("EC2 started no worker" + why +
                                ". Allow more instance types or subnets, another region, or try "
                                "later");
    }
    return result;
}

}  // namespace spotfarm::providers::aws
