#include "cli/cloud/cloud_services.h"

#include <iostream>

#include <fmt/format.h>

#include "providers/aws/aws_endpoints.h"
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

namespace {

// What the setup's EFS holds now, as EFS last measured it.
util::Result<std::int64_t> efs_size(AwsSession& session, const std::string& efs_id) {
    auto efs = providers::aws::EfsClient::create(
        {session.http, *session.credentials, util::steady_clock(), session.sleeper}, session.region,
        providers::aws::service_endpoint(providers::aws::process_environment(),
                                         providers::aws::AwsService::efs, session.region));
    if (!efs.ok()) return efs.error();
    auto fs = (*efs)->describe_file_system(efs_id);
    if (!fs.ok()) return fs.error();
    if (!*fs) return util::make_error("EFS " + efs_id + " is gone", util::ErrorKind::not_found);
    return (*fs)->size_bytes;
}

}  // namespace

nlohmann::json setup_section_json(AwsSession& session) {
    auto record = providers::aws::load_cloud_setup(session.region);
    if (!record.ok()) return {{"error", record.error().message}};
    if (!*record) return nullptr;
    auto out = nlohmann::json::parse(providers::aws::cloud_setup_to_json(**record));
    if (!(*record)->efs_id.empty()) {
        auto size = efs_size(session, (*record)->efs_id);
        out["efs_size_bytes"] = size.ok() ? nlohmann::json(*size) : nlohmann::json();
        if (!size.ok()) out["efs_error"] = size.error().message;
    }
    return out;
}

void print_setup_section(AwsSession& session) {
    const std::string& region = session.region;
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
    std::string efs_text = r.efs_id.empty() ? "-" : r.efs_id;
    if (!r.efs_id.empty()) {
        auto size = efs_size(session, r.efs_id);
        efs_text += size.ok() ? fmt::format(" ({:.1f} MiB stored)", double(*size) / (1 << 20))
                              : " (size unknown: " + size.error().message + ")";
    }
    std::string subnets;
    for (const auto& id : r.subnet_ids)
        subnets += fmt::format("{}{} ({})", subnets.empty() ? "" : ", ", id,
                               r.subnet_zones.count(id) ? r.subnet_zones.at(id) : "?");
    std::cout << fmt::format("Setup in {} (since {}):\n", r.region, r.created_at)
              << fmt::format("  network   {}: {}\n", r.vpc_id, subnets)
              << fmt::format("  groups    manager {}, workers {}\n",
                             r.manager_security_group.empty() ? "-" : r.manager_security_group,
                             r.worker_security_group.empty() ? "-" : r.worker_security_group)
              << fmt::format("  EFS       {}\n", efs_text)
              << fmt::format("  role      {}\n", r.role_name.empty() ? "-" : r.role_name)
              << fmt::format("  manager reachable from {}\n\n", r.allow_from);
}

}  // namespace spotfarm::cli
