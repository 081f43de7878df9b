// Setup's network step: the VPC, its subnets, and the two security groups.
#include <algorithm>
#include <set>

#include "providers/aws/cloud_setup_steps.h"

namespace spotfarm::providers::aws::setup_steps {
namespace {

// Creates the group when the VPC has none of that name; its id either way.
util::Result<Ec2SecurityGroup> ensure_group(Ec2NetworkClient& ec2, const std::string& region,
                                            const std::string& vpc, const std::string& name,
                                            const std::string& description, const SayFn& say) {
    auto found = ec2.find_security_group(vpc, name);
    if (!found.ok()) return found.error();
    if (*found) {
        say("security group " + name + ": " + (*found)->id + " (exists)");
        return **found;
    }
    auto id = ec2.create_security_group(vpc, name, description, setup_tags(region, name));
    if (!id.ok()) return id.error();
    say("security group " + name + ": " + *id + " (created)");
    Ec2SecurityGroup group;
    group.id = *id;
    group.name = name;
    group.vpc_id = vpc;
    return group;
}

// Adds the rules the group lacks.
util::Status ensure_rules(Ec2NetworkClient& ec2, const Ec2SecurityGroup& group,
                          const std::vector<IngressRule>& wanted, const SayFn& say) {
    std::vector<IngressRule> missing;
    for (const auto& rule : wanted) {
        const bool present =
            std::any_of(group.ingress.begin(), group.ingress.end(), [&](const IngressRule& r) {
                return r.from_port == rule.from_port && r.to_port == rule.to_port &&
                       r.cidr == rule.cidr && r.group_id == rule.group_id;
            });
        if (!present) missing.push_back(rule);
    }
    if (missing.empty()) return {};
    if (auto added = ec2.authorize_ingress(group.id, missing); !added.ok()) return added;
    for (const auto& rule : missing)
        say("  allowed TCP " + std::to_string(rule.from_port) + " into " + group.name + " from " +
            (rule.cidr.empty() ? rule.group_id : rule.cidr));
    return {};
}

}  // namespace

std::vector<Tag> setup_tags(const std::string& region, const std::string& name) {
    return {{k_setup_tag, region}, {"Name", name}};
}

util::Status choose_network(Ec2NetworkClient& ec2, const CloudSetupOptions& options,
                            CloudSetupRecord& record, const SayFn& say) {
    auto vpc = ec2.find_vpc(options.vpc_id);
    if (!vpc.ok()) return vpc.error();
    if (!*vpc) {
        if (options.vpc_id.empty())
            return util::make_error(
                "the region " + record.region +
                    " has no default VPC. Pass --vpc VPC-ID and --subnet SUBNET-ID (one per "
                    "availability zone, in subnets that give instances a public address), or "
                    "create a default VPC with `aws ec2 create-default-vpc`",
                util::ErrorKind::invalid);
        return util::make_error("there is no VPC " + options.vpc_id + " in " + record.region +
                                    "; check --vpc and --region",
                                util::ErrorKind::not_found);
    }
    record.vpc_id = (*vpc)->id;
    auto subnets = ec2.describe_subnets(record.vpc_id, options.subnet_ids);
    if (!subnets.ok()) return subnets.error();
    std::vector<Ec2Subnet> chosen;
    std::set<std::string> zones;
    std::sort(subnets->begin(), subnets->end(),
              [](const Ec2Subnet& a, const Ec2Subnet& b) { return a.id < b.id; });
    if (!options.subnet_ids.empty()) {
        for (const auto& id : options.subnet_ids) {
            auto it = std::find_if(subnets->begin(), subnets->end(),
                                   [&](const Ec2Subnet& s) { return s.id == id; });
            if (it == subnets->end())
                return util::make_error("the subnet " + id + " is not in the VPC " + record.vpc_id +
                                            "; check --subnet and --vpc",
                                        util::ErrorKind::not_found);
            if (!zones.insert(it->zone).second)
                return util::make_error(
                    "two of the --subnet values are in the zone " + it->zone +
                        "; EFS has one mount target per zone, so name one subnet per zone",
                    util::ErrorKind::invalid);
            chosen.push_back(*it);
        }
    } else {
        // The default subnets first; a VPC without any gives its first subnet in each zone.
        std::stable_partition(subnets->begin(), subnets->end(),
                              [](const Ec2Subnet& s) { return s.default_for_zone; });
        for (const auto& subnet : *subnets)
            if (zones.insert(subnet.zone).second) chosen.push_back(subnet);
    }
    if (chosen.empty())
        return util::make_error(
            "the VPC " + record.vpc_id + " has no subnets; pass --subnet SUBNET-ID (one per zone)",
            util::ErrorKind::invalid);
    record.subnet_ids.clear();
    record.subnet_zones.clear();
    for (const auto& subnet : chosen) {
        record.subnet_ids.push_back(subnet.id);
        record.subnet_zones[subnet.id] = subnet.zone;
    }
    say("network: " + record.vpc_id + ", " + std::to_string(chosen.size()) + " subnet" +
        (chosen.size() == 1 ? "" : "s") + " in " + std::to_string(zones.size()) + " zone" +
        (zones.size() == 1 ? "" : "s"));
    return {};
}

util::Status ensure_security_groups(Ec2NetworkClient& ec2, const CloudSetupOptions& options,
                                    CloudSetupRecord& record, const SayFn& say) {
    auto workers = ensure_group(ec2, record.region, record.vpc_id, worker_group_name(),
                                "spotfarm workers and the EFS mount targets they use", say);
    if (!workers.ok()) return workers.error();
    auto manager = ensure_group(ec2, record.region, record.vpc_id, manager_group_name(),
                                "spotfarm manager: reached by its workers and by you", say);
    if (!manager.ok()) return manager.error();
    record.worker_security_group = workers->id;
    record.manager_security_group = manager->id;
    // NFS from every holder of the worker group; the manager's instance wears it too, so no
    // rule points back from the worker group to the manager's and both can be deleted in order.
    if (auto ok = ensure_rules(ec2, *workers,
                               {{2049, 2049, "", workers->id, "NFS to EFS from spotfarm"}}, say);
        !ok.ok())
        return ok;
    const int port = options.manager_port;
    return ensure_rules(ec2, *manager,
                        {{port, port, "", workers->id, "spotfarm workers"},
                         {port, port, record.allow_from, "", "spotfarm cloud setup --allow-from"}},
                        say);
}

util::Status delete_security_groups(AwsServices& aws, const std::vector<std::string>& group_ids,
                                    const TeardownOptions& options, const SayFn& say,
                                    std::vector<std::string>& deleted) {
    for (const auto& id : group_ids) {
        if (id.empty()) continue;
        // A group is held for a while by the interfaces of what used it (mount targets being
        // deleted, instances shutting down): AWS answers DependencyViolation until they are gone.
        util::Status done;
        for (int attempt = 0;; ++attempt) {
            done = aws.ec2_network->delete_security_group(id);
            if (done.ok() || done.error().kind != util::ErrorKind::conflict) break;
            if (attempt >= options.max_polls) break;
            aws.sleeper.sleep_for(options.poll);
        }
        if (!done.ok()) return done;
        say("deleted security group " + id);
        deleted.push_back("security group " + id);
    }
    return {};
}

}  // namespace spotfarm::providers::aws::setup_steps
