// `spotfarm cloud up`: launches N workers on EC2 through EC2 Fleet (Spot over every allowed type
// and subnet, with on-demand for what Spot cannot place), tagged with a fleet id that
// `cloud status` and `cloud down` find again.
// The workers join the manager given; the fleet stays until `cloud down` (or until each worker
// exits and powers its instance off).
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/cloud/cloud_context.h"
#include "cli/common/commands.h"
#include "providers/aws/aws_provider.h"
#include "util/utc_time.h"

namespace spotfarm::cli {
namespace {

struct UpFlags {
    int count = 0;
    std::string fleet;
    LaunchFlags launch;
    WorkerFlags worker;
    AwsFlags aws;
};

int run_up(const UpFlags& f) {
    if (f.count < 1)
        return report_error(
            "up", util::make_error("--count must be at least 1", util::ErrorKind::invalid));
    if (!f.launch.ami.starts_with("ami-"))
        return report_error("up", aws_fleet_options(f.launch, "", "").error());
    auto session = open_aws_session(f.aws);
    if (!session.ok()) return report_error("up", session.error());
    auto user_data = make_worker_user_data(f.worker, (*session)->region);
    if (!user_data.ok()) return report_error("up", user_data.error());

    auto made = aws_fleet_options(f.launch, f.fleet.empty() ? new_fleet_id() : f.fleet, *user_data);
    if (!made.ok()) return report_error("up", made.error());
    const providers::aws::AwsFleetOptions& options = *made;
    providers::aws::AwsProvider provider(*(*session)->ec2, util::steady_clock(), options);

    auto started = provider.start_workers({.count = f.count});
    if (!started.ok()) return report_error("up", started.error());
    for (const auto& note : started->notes) std::cout << "note: " << note << "\n";
    std::cout << fmt::format("fleet {}: launched {} of {} instance(s) in {}\n", options.fleet_id,
                             started->started.size(), f.count, (*session)->region);
    for (const auto& worker : started->started)
        std::cout << fmt::format("  {}  {:<14} {:<12} {:<10} {}\n", worker.id, worker.kind,
                                 worker.zone.empty() ? "-" : worker.zone,
                                 worker.interruptible ? "spot" : "on-demand",
                                 providers::to_string(worker.state));
    std::cout << fmt::format(
        "Follow them with `spotfarm cloud status --fleet {0} --region {1}`;\n"
        "terminate them with `spotfarm cloud down --fleet {0} --region {1}`.\n",
        options.fleet_id, (*session)->region);
    return int(started->started.size()) < f.count ? k_exit_failure : k_exit_ok;
}

}  // namespace

std::string new_fleet_id() {
    std::string compact = util::format_compact_utc(std::chrono::system_clock::now());
    compact.pop_back();  // the Z
    compact[8] = '-';
    return "sf-" + compact;
}

void add_cloud_up_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand("up", "Launch N spotfarm workers on EC2");
    auto f = std::make_shared<UpFlags>();
    cmd->add_option("--count", f->count, "how many instances")->required();
    cmd->add_option("--fleet", f->fleet,
                    "fleet id to tag the instances with (default: sf-DATE-TIME)");
    add_launch_flags(*cmd, f->launch, true);
    add_worker_flags(*cmd, f->worker, true);
    add_aws_flags(*cmd, f->aws);
    cmd->footer(
        "\nExit codes: 0 all launched; 1 AWS refused (credentials, permissions, capacity) or "
        "fewer\nlaunched than asked; 2 bad arguments, or no region or credentials.");
    cmd->callback([f, &exit_code] { exit_code = run_up(*f); });
}

}  // namespace spotfarm::cli
