// `spotfarm cloud setup`: makes the account ready for renders once (security groups, EFS and its
// mount targets, the manager's role), idempotently, and records what it made on this machine.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/cloud/cloud_services.h"
#include "cli/common/commands.h"
#include "providers/aws/cloud_setup.h"
#include "providers/aws/credential_sources.h"
#include "providers/aws/region.h"

namespace spotfarm::cli {
namespace {

namespace aws = providers::aws;

struct SetupFlags {
    std::string vpc;
    std::vector<std::string> subnets;
    std::string allow_from;
    std::string checkip_url;
    int manager_port = 8420;
    int poll_seconds = 5;
    bool print_policy = false;
    bool json = false;
    AwsFlags aws;
};

int print_policy(const SetupFlags& f) {
    auto region = aws::resolve_region(aws::process_environment(), f.aws.region, f.aws.profile);
    if (!region.ok())
        return report_error("setup",
                            util::make_error(region.error().message, util::ErrorKind::invalid));
    if (f.json) {
        std::cout
            << nlohmann::json{{"role", aws::manager_role_name(*region)},
                              {"policy", nlohmann::json::parse(aws::manager_role_policy(*region))},
                              {"trust_policy", nlohmann::json::parse(aws::manager_trust_policy())}}
                   .dump(2)
            << "\n";
    } else {
        std::cout << aws::manager_role_policy(*region) << "\n";
    }
    return k_exit_ok;
}

int run_setup(const SetupFlags& f) {
    if (f.print_policy) return print_policy(f);
    auto services = open_cloud_services(f.aws);
    if (!services.ok()) return report_error("setup", services.error());
    aws::CloudSetupOptions options;
    options.vpc_id = f.vpc;
    options.subnet_ids = f.subnets;
    options.allow_from = f.allow_from;
    if (!f.checkip_url.empty()) options.checkip_url = f.checkip_url;
    options.manager_port = f.manager_port;
    options.efs_poll = std::chrono::seconds(f.poll_seconds);
    // With --json, progress goes to stderr so that stdout is the record alone.
    std::ostream& progress = f.json ? std::cerr : std::cout;
    auto record = aws::ensure_cloud_setup(*services->aws, options,
                                          [&](std::string_view line) { progress << line << "\n"; });
    if (!record.ok()) return report_error("setup", record.error());
    if (f.json) {
        std::cout << aws::cloud_setup_to_json(*record);
    } else {
        std::cout << "Ready: `spotfarm render scene.blend --cloud aws --count N` now runs in "
                  << record->region << ".\n";
    }
    return k_exit_ok;
}

}  // namespace

void add_cloud_setup_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand(
        "setup",
        "Make the AWS account ready for cloud renders, once: security groups, EFS, the "
        "manager's role");
    auto f = std::make_shared<SetupFlags>();
    cmd->add_option("--vpc", f->vpc, "the VPC to use (default: the region's default VPC)");
    cmd->add_option("--subnet", f->subnets,
                    "a subnet to use, one per availability zone; repeat for more (default: the "
                    "VPC's default subnets)");
    cmd->add_option("--allow-from", f->allow_from,
                    "the addresses (IPv4 CIDR) that may reach the manager (default: this "
                    "machine's public address as AWS sees it, /32)");
    cmd->add_option("--checkip-url", f->checkip_url,
                    "where this machine's public address is asked for (default: "
                    "https://checkip.amazonaws.com/)");
    cmd->add_option("--manager-port", f->manager_port,
                    "the port people and workers reach the manager on")
        ->capture_default_str();
    cmd->add_option("--poll-seconds", f->poll_seconds, "how often to ask whether EFS is ready")
        ->capture_default_str()
        ->check(CLI::Range(0, 600));
    cmd->add_flag("--print-policy", f->print_policy,
                  "print the manager role's IAM policy (least privilege) and change nothing");
    cmd->add_flag("--json", f->json, "print what setup made as JSON (progress goes to stderr)");
    add_aws_flags(*cmd, f->aws);
    cmd->footer(
        "\nRunning setup again changes nothing that is in place. Everything it makes is tagged\n"
        "spotfarm:setup=REGION and recorded in ~/.local/state/spotfarm/cloud/REGION.json;\n"
        "`spotfarm cloud teardown` removes it. Endpoints follow AWS_ENDPOINT_URL and\n"
        "AWS_ENDPOINT_URL_<EC2|IAM|SSM|EFS>. Exit codes: 0 ready, 2 a flag, credentials or a\n"
        "permission to fix, 3 a quota or AWS unavailable, 1 anything else. See docs/cloud.md.");
    cmd->callback([f, &exit_code] { exit_code = run_setup(*f); });
}

}  // namespace spotfarm::cli
