// `spotfarm cloud down`: terminates every instance that carries spotfarm's fleet tag (one fleet
// or all), found through the tags alone, so it works with no manager and after any crash, and
// deletes the fleets' launch templates. Running it again terminates nothing more and succeeds.
#include <iostream>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "cli/cloud/cloud_context.h"
#include "cli/common/commands.h"
#include "providers/aws/aws_provider.h"
#include "providers/aws/fleet_inventory.h"

namespace spotfarm::cli {
namespace {

struct DownFlags {
    std::string fleet;
    bool all = false;
    AwsFlags aws;
};

int run_down(const DownFlags& f) {
    if (f.fleet.empty() == !f.all)
        return report_error("down", util::make_error("say which instances: --fleet ID, or --all "
                                                     "for every spotfarm fleet in the region",
                                                     util::ErrorKind::invalid));
    auto session = open_aws_session(f.aws);
    if (!session.ok()) return report_error("down", session.error());
    // The fleets whose launch templates go with them.
    std::set<std::string> fleets;
    if (!f.fleet.empty()) fleets.insert(f.fleet);
    if (f.all) {
        auto found = providers::aws::find_spotfarm_instances(*(*session)->ec2, "");
        if (!found.ok()) return report_error("down", found.error());
        for (const auto& instance : *found)
            if (auto fleet = instance.tag(providers::aws::k_fleet_tag)) fleets.insert(*fleet);
    }
    auto terminated = providers::aws::terminate_spotfarm_instances(*(*session)->ec2, f.fleet);
    if (!terminated.ok()) return report_error("down", terminated.error());
    // A template left behind costs nothing: say so, and do not fail the termination for it.
    for (const auto& fleet : fleets)
        if (auto gone = (*session)->ec2->delete_launch_template(
                providers::aws::launch_template_name(fleet));
            !gone)
            std::cerr << "note: the launch template of fleet " << fleet
                      << " was not deleted: " << gone.error().message << "\n";
    const std::string scope =
        (f.all ? "any spotfarm fleet" : "fleet " + f.fleet) + " in " + (*session)->region;
    if (terminated->empty()) {
        std::cout << "Nothing to terminate: no instance of " << scope << " is running.\n";
        return k_exit_ok;
    }
    for (const auto& instance : *terminated)
        std::cout << fmt::format("terminated {}  {:<20} {:<14} {}\n", instance.instance_id,
                                 instance.tag(providers::aws::k_fleet_tag).value_or("-"),
                                 instance.instance_type, instance.is_spot() ? "spot" : "on-demand");
    std::cout << fmt::format("{} instance(s) of {} terminated.\n", terminated->size(), scope);
    return k_exit_ok;
}

}  // namespace

void add_cloud_down_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand(
        "down", "Terminate spotfarm's instances, found by their tags (no manager needed)");
    auto f = std::make_shared<DownFlags>();
    cmd->add_option("--fleet", f->fleet, "the fleet to terminate");
    cmd->add_flag("--all", f->all, "every spotfarm fleet in the region");
    add_aws_flags(*cmd, f->aws);
    cmd->callback([f, &exit_code] { exit_code = run_down(*f); });
}

}  // namespace spotfarm::cli
