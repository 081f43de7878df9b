#include "providers/aws/aws_provider.h"

#include <algorithm>
#include <cctype>

#include "providers/aws/fleet_inventory.h"
#include "providers/aws/instance_cost.h"
#include "util/digest.h"

namespace spotfarm::providers::aws {

const std::vector<std::string> k_default_instance_types = {
    "c7i.4xlarge", "c7a.4xlarge", "c6i.4xlarge", "c6a.4xlarge", "c5.4xlarge",
};

namespace {

bool is_fleet_id(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

// EC2 takes at most 64 characters; a longer token is replaced by its hash.
std::string client_token(const std::string& text) {
    return text.size() <= 64 ? text : util::sha256_hex(text).substr(0, 64);
}

WorkerInstance to_worker(const Ec2Instance& instance) {
    WorkerInstance worker;
    worker.id = instance.instance_id;
    worker.state = worker_state(instance.state);
    worker.kind = instance.instance_type;
    worker.zone = instance.availability_zone;
    worker.interruptible = instance.is_spot();
    worker.address = instance.private_ip;
    for (const auto& tag : instance.tags) worker.tags[tag.key] = tag.value;
    worker.started_at = instance.launch_time;
    worker.reason = instance.state_reason;
    return worker;
}

}  // namespace

WorkerState worker_state(InstanceState state) {
    switch (state) {
        case InstanceState::pending:
            return WorkerState::starting;
        case InstanceState::running:
            return WorkerState::running;
        case InstanceState::shutting_down:
        case InstanceState::stopping:
            return WorkerState::stopping;
        case InstanceState::terminated:
        case InstanceState::stopped:
            return WorkerState::stopped;
        case InstanceState::unknown:
            break;
    }
    return WorkerState::unknown;
}

AwsProvider::AwsProvider(Ec2Client& ec2, const util::Clock& clock, AwsFleetOptions options)
    : m_ec2(ec2), m_clock(clock), m_options(std::move(options)) {}

util::Status AwsProvider::check_options() const {
    if (!is_fleet_id(m_options.fleet_id))
        return util::make_error("the fleet id '" + m_options.fleet_id +
                                "' must be 1-64 letters, digits, '-', '_' or '.'");
    return {};
}

std::vector<Tag> AwsProvider::instance_tags(const StartRequest& request) const {
    std::vector<Tag> tags;
    tags.push_back({std::string(k_fleet_tag), m_options.fleet_id});
    tags.push_back({"Name", "spotfarm-worker " + m_options.fleet_id});
    for (const auto& [key, value] : request.tags)
        if (key != k_fleet_tag && key != "Name") tags.push_back({key, value});
    return tags;
}

RunInstancesRequest AwsProvider::launch_request(const StartRequest& request,
                                                const std::string& type, bool spot,
                                                int count) const {
    RunInstancesRequest r;
    r.image_id = m_options.image_id;
    r.instance_type = type;
    r.min_count = 1;
    r.max_count = count;
    r.key_name = m_options.key_name;
    r.security_group_ids = m_options.security_group_ids;
    if (!m_options.subnet_ids.empty()) r.subnet_id = m_options.subnet_ids.front();
    r.user_data = m_options.user_data;
    r.iam_instance_profile_name = m_options.iam_instance_profile;
    r.spot = spot;
    if (!request.request_id.empty())
        r.client_token = client_token(m_options.fleet_id + "-" + request.request_id + "-" + type +
                                      (spot ? "-spot" : "-od"));
    r.tags = instance_tags(request);
    return r;
}

util::Result<StartResult> AwsProvider::start_workers(const StartRequest& request) {
    if (auto ok = check_options(); !ok) return ok.error();
    if (request.count < 1) return util::make_error("start at least one worker");
    if (m_options.instance_types.empty() && !m_options.requirements)
        return util::make_error("no instance types to choose from");
    if (m_options.launch_api == LaunchApi::ec2_fleet) return launch_fleet(request);
    if (m_options.requirements)
        return util::make_error(
            "instance requirements (--vcpus, --gpu) need EC2 Fleet; name instance types for "
            "RunInstances");
    return run_instances(request);
}

util::Result<StartResult> AwsProvider::run_instances(const StartRequest& request) {
    std::vector<bool> markets;
    if (m_options.spot) markets.push_back(true);
    if (!m_options.spot || m_options.on_demand_fallback) markets.push_back(false);

    StartResult result;
    int remaining = request.count;
    for (const bool spot : markets) {
        for (const auto& type : m_options.instance_types) {
            if (remaining == 0) return result;
            auto outcome = m_ec2.run_instances(launch_request(request, type, spot, remaining));
            if (!outcome.ok()) {
                if (result.started.empty()) return outcome.error();
                // What did start is tagged, so list_workers() finds it; report the rest.
                result.notes.push_back("stopped launching: " + outcome.error().message);
                return result;
            }
            if (outcome->capacity_refusal) {
                result.notes.push_back(std::string("no ") + (spot ? "Spot" : "on-demand") +
                                       " capacity for " + type + ": " +
                                       outcome->capacity_refusal->code);
                continue;
            }
            for (const auto& instance : outcome->launched.instances) {
                if (remaining == 0) break;
                result.started.push_back(to_worker(instance));
                --remaining;
            }
        }
    }
    if (result.started.empty()) {
        std::string why;
        for (const auto& note : result.notes) why += "; " + note;
        return util::make_error("EC2 started no worker" + why +
                                ". Try other instance types, another region or later");
    }
    return result;
}

util::Result<std::vector<Ec2Instance>> AwsProvider::describe_fleet() {
    if (auto ok = check_options(); !ok) return ok.error();
    return find_spotfarm_instances(m_ec2, m_options.fleet_id);
}

std::chrono::system_clock::time_point AwsProvider::ended_at(const Ec2Instance& instance) {
    if (auto when = stopped_at(instance)) return *when;
    std::lock_guard lock(m_mutex);
    return m_seen_ending.try_emplace(instance.instance_id, m_clock.wall_now()).first->second;
}

util::Result<std::vector<WorkerInstance>> AwsProvider::list_workers() {
    auto instances = describe_fleet();
    if (!instances.ok()) return instances.error();
    std::vector<WorkerInstance> workers;
    for (const auto& instance : *instances) {
        if (has_stopped(instance.state)) (void)ended_at(instance);
        workers.push_back(to_worker(instance));
    }
    return workers;
}

util::Status AwsProvider::stop_workers(const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    if (auto ok = check_options(); !ok) return ok.error();
    DescribeInstancesRequest request;
    request.instance_ids = ids;
    auto instances = m_ec2.describe_instances(request);
    if (!instances.ok()) return instances.error();
    for (const auto& id : ids) {
        auto it = std::find_if(instances->begin(), instances->end(),
                               [&](const Ec2Instance& i) { return i.instance_id == id; });
        if (it == instances->end() || it->tag(k_fleet_tag) != m_options.fleet_id)
            return util::make_error("instance " + id + " is not in fleet " + m_options.fleet_id +
                                    "; spotfarm stops only its own instances");
    }
    auto changes = m_ec2.terminate_instances(ids);
    if (!changes.ok()) return changes.error();
    return {};
}

util::Status AwsProvider::stop_all() {
    if (auto ok = check_options(); !ok) return ok.error();
    auto terminated = terminate_spotfarm_instances(m_ec2, m_options.fleet_id);
    if (!terminated.ok()) return terminated.error();
    if (m_options.launch_api != LaunchApi::ec2_fleet) return {};
    // Instances launched from the template keep running without it; the template goes with the
    // fleet, and a later launch makes it again.
    if (auto gone = m_ec2.delete_launch_template(launch_template_name(m_options.fleet_id)); !gone)
        return gone.error();
    std::lock_guard lock(m_mutex);
    m_template_made = false;
    return {};
}

util::Result<CostReport> AwsProvider::cost_so_far() {
    auto instances = describe_fleet();
    if (!instances.ok()) return instances.error();
    auto costs =
        instance_costs(m_ec2, *instances, m_clock.wall_now(), m_options.on_demand_usd_per_hour,
                       [this](const Ec2Instance& instance) { return ended_at(instance); });
    if (!costs.ok()) return costs.error();
    return total_cost(*instances, *costs);
}

}  // namespace spotfarm::providers::aws
