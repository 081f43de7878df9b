// `spotfarm cloud up`: launches N workers on EC2 (Spot, with on-demand as the fallback when Spot
// capacity is refused), tagged with a fleet id that `cloud status` and `cloud down` find again.
// The workers join the manager given; the fleet stays until `cloud down` (or until each worker
// exits and powers its instance off).
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/cloud_context.h"
#include "cli/commands.h"
#include "providers/aws/aws_provider.h"
#include "util/utc_time.h"

namespace spotfarm::cli {
namespace {

struct UpFlags {
    int count = 0;
    std::vector<std::string> instance_types;
    std::string fleet;
    std::string ami;
    std::string key_name;
    std::string subnet;
    std::vector<std::string> security_groups;
    std::string iam_profile;
    bool on_demand = false;
    bool no_fallback = false;
    WorkerFlags worker;
    AwsFlags aws;
};

// "sf-20260302-104012": a fresh fleet id, from the time of launch.
std::string new_fleet_id() {
    std::string compact = util::format_compact_utc(std::chrono::system_clock::now());
    compact.pop_back();  // the Z
    compact[8] = '-';
    return "sf-" + compact;
}

int run_up(const UpFlags& f) {
    if (f.count < 1)
        return report_error("up", util::make_error("--count must be at least 1", k_exit_usage));
    if (!f.ami.starts_with("ami-"))
        return report_error(
            "up", util::make_error("--ami must name an AMI (ami-...); Debian 12 or Ubuntu 22.04+ "
                                   "images work, see docs/cloud.md",
                                   k_exit_usage));
    auto session = open_aws_session(f.aws);
    if (!session.ok()) return report_error("up", session.error());
    auto user_data = make_worker_user_data(f.worker, (*session)->region);
    if (!user_data.ok()) return report_error("up", user_data.error());

    providers::aws::AwsFleetOptions options;
    options.fleet_id = f.fleet.empty() ? new_fleet_id() : f.fleet;
    options.image_id = f.ami;
    if (!f.instance_types.empty()) options.instance_types = f.instance_types;
    options.spot = !f.on_demand;
    options.on_demand_fallback = !f.no_fallback;
    options.key_name = f.key_name;
    options.security_group_ids = f.security_groups;
    options.subnet_id = f.subnet;
    options.iam_instance_profile = f.iam_profile;
    options.user_data = *user_data;
    options.on_demand_usd_per_hour = builtin_on_demand_prices();
    providers::aws::AwsProvider provider(*(*session)->ec2, util::steady_clock(), options);

    auto started = provider.start_workers({.count = f.count});
    if (!started.ok()) return report_error("up", started.error());
    for (const auto& note : started->notes) std::cout << "note: " << note << "\n";
    std::cout << fmt::format("fleet {}: launched {} of {} instance(s) in {}\n", options.fleet_id,
                             started->started.size(), f.count, (*session)->region);
    for (const auto& worker : started->started)
        std::cout << fmt::format("  {}  {:<14} {:<10} {}\n", worker.id, worker.kind,
                                 worker.interruptible ? "spot" : "on-demand",
                                 providers::to_string(worker.state));
    std::cout << fmt::format(
        "Follow them with `spotfarm cloud status --fleet {0} --region {1}`;\n"
        "terminate them with `spotfarm cloud down --fleet {0} --region {1}`.\n",
        options.fleet_id, (*session)->region);
    return int(started->started.size()) < f.count ? k_exit_failure : k_exit_ok;
}

}  // namespace

void add_cloud_up_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand("up", "Launch N spotfarm workers on EC2");
    auto f = std::make_shared<UpFlags>();
    cmd->add_option("--count", f->count, "how many instances")->required();
    cmd->add_option("--instance-type", f->instance_types,
                    "instance types in order of preference, e.g. c7i.4xlarge,c6i.4xlarge "
                    "(default: compute-optimized 16-vCPU types)")
        ->delimiter(',');
    cmd->add_option("--fleet", f->fleet,
                    "fleet id to tag the instances with (default: sf-DATE-TIME)");
    cmd->add_option("--ami", f->ami,
                    "the AMI to boot: Debian 12 or Ubuntu 22.04+ (see docs/cloud.md)")
        ->required();
    cmd->add_option("--key-name", f->key_name, "EC2 key pair for SSH access (optional)");
    cmd->add_option("--subnet", f->subnet, "subnet id (default: the default VPC's)");
    cmd->add_option("--security-group", f->security_groups, "security group id (repeatable)")
        ->delimiter(',');
    cmd->add_option("--iam-profile", f->iam_profile,
                    "instance profile name for the instances' own AWS access (optional)");
    cmd->add_flag("--on-demand", f->on_demand, "on-demand instances instead of Spot");
    cmd->add_flag("--no-fallback", f->no_fallback,
                  "with Spot: do not fall back to on-demand when Spot capacity is refused");
    add_worker_flags(*cmd, f->worker, true);
    add_aws_flags(*cmd, f->aws);
    cmd->footer(
        "\nExit codes: 0 all launched; 1 AWS refused (credentials, permissions, capacity) or "
        "fewer\nlaunched than asked; 2 bad arguments, or no region or credentials.");
    cmd->callback([f, &exit_code] { exit_code = run_up(*f); });
}

}  // namespace spotfarm::cli
