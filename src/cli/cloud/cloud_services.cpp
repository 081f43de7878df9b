#include "cli/cloud/cloud_services.h"

#include <iostream>

#include <fmt/format.h>

#include "providers/aws/cloud_setup_record.h"
#include "providers/aws/shared_config.h"

namespace spotfarm::cli {

util::Result<CloudServices> open_cloud_services(const AwsFlags& flags) {
    auto session = open_aws_session(flags);
    if (!session.ok()) return session.error();
    CloudServices out;
    out.session = std::move(*session);
    AwsSession& s = *out.session;
    auto aws = providers::aws::open_aws_services(
        {s.http, *s.credentials, util::steady_clock(), s.sleeper}, s.region,
        providers::aws::process_environment(), {.ec2 = flags.ec2_endpoint});
    if (!aws.ok()) return util::make_error(aws.error().message, util::ErrorKind::invalid);
    out.aws = std::make_unique<providers::aws::AwsServices>(std::move(*aws));
    return out;
}

nlohmann::json setup_section_json(const std::string& region) {
    auto record = providers::aws::load_cloud_setup(region);
    if (!record.ok()) return {{"error", record.error().message}};
    if (!*record) return nullptr;
    return nlohmann::json::parse(providers::aws::cloud_setup_to_json(**record));
}

void print_setup_section(const std::string& region) {
    auto record = providers::aws::load_cloud_setup(region);
    if (!record.ok()) {
        std::cout << "Setup: " << record.error().message << "\n\n";
        return;
    }
    if (!*record) {
        std::cout << "Setup: none recorded for " << region << " (run `spotfarm cloud setup`).\n\n";
        return;
    }
    const auto& r = **record;
    std::string subnets;
    for (const auto& id : r.subnet_ids)
        subnets += fmt::format("{}{} ({})", subnets.empty() ? "" : ", ", id,
                               r.subnet_zones.count(id) ? r.subnet_zones.at(id) : "?");
    std::cout << fmt::format("Setup in {} (since {}):\n", r.region, r.created_at)
              << fmt::format("  network   {}: {}\n", r.vpc_id, subnets)
              << fmt::format("  groups    manager {}, workers {}\n",
                             r.manager_security_group.empty() ? "-" : r.manager_security_group,
                             r.worker_security_group.empty() ? "-" : r.worker_security_group)
              << fmt::format("  EFS       {}\n", r.efs_id.empty() ? "-" : r.efs_id)
              << fmt::format("  role      {}\n", r.role_name.empty() ? "-" : r.role_name)
              << fmt::format("  manager reachable from {}\n\n", r.allow_from);
}

}  // namespace spotfarm::cli
