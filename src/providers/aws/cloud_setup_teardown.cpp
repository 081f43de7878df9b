// `cloud teardown`: what setup made, removed in the order AWS allows.
#include "providers/aws/aws_provider.h"
#include "providers/aws/cloud_setup.h"
#include "providers/aws/cloud_setup_steps.h"

namespace spotfarm::providers::aws {
namespace {

// Instances of a render that are not terminated (or on their way there).
util::Result<std::vector<std::string>> live_render_instances(Ec2Client& ec2) {
    DescribeInstancesRequest request;
    request.filters = {{"tag-key", {std::string(k_fleet_tag), k_manager_tag}},
                       {"instance-state-name", {"pending", "running", "stopping", "stopped"}}};
    auto instances = ec2.describe_instances(request);
    if (!instances.ok()) return instances.error();
    std::vector<std::string> ids;
    for (const auto& instance : *instances) ids.push_back(instance.instance_id);
    return ids;
}

}  // namespace

util::Result<TeardownReport> teardown_cloud_setup(AwsServices& aws, const std::string& region,
                                                  const TeardownOptions& options,
                                                  const SayFn& say_in) {
    const SayFn say = say_in ? say_in : [](std::string_view) {};
    TeardownReport report;
    auto loaded = load_cloud_setup(region);
    if (!loaded.ok()) return loaded.error();
    if (!*loaded) {
        report.nothing_recorded = true;
        return report;
    }
    CloudSetupRecord record = **loaded;

    auto live = live_render_instances(*aws.ec2);
    if (!live.ok()) return live.error();
    if (!live->empty()) {
        std::string ids;
        for (const auto& id : *live) ids += (ids.empty() ? "" : " ") + id;
        return util::make_error(std::to_string(live->size()) +
                                    " instance(s) of a render still run (" + ids +
                                    "); wait for the render to end, or stop it with `spotfarm "
                                    "cloud down --all`, then run teardown again",
                                util::ErrorKind::conflict);
    }

    bool delete_efs = !record.efs_id.empty() && !options.keep_efs;
    if (delete_efs) {
        auto fs = aws.efs->describe_file_system(record.efs_id);
        if (!fs.ok()) return fs.error();
        if (!*fs) {
            delete_efs = false;
            record.efs_id.clear();
        } else if (options.confirm_efs_delete && !options.confirm_efs_delete(**fs)) {
            delete_efs = false;
        }
    }
    if (delete_efs) {
        if (auto ok = setup_steps::delete_efs(aws, record.efs_id, options, say, report.deleted);
            !ok.ok())
            return ok.error();
        record.efs_id.clear();
    }
    report.efs_kept = !record.efs_id.empty();

    // The manager's group refers to the workers' group, so it goes first; the workers' group
    // stays while EFS (and its mount targets in that group) is kept.
    std::vector<std::string> groups = {record.manager_security_group};
    if (!report.efs_kept) groups.push_back(record.worker_security_group);
    if (auto ok = setup_steps::delete_security_groups(aws, groups, options, say, report.deleted);
        !ok.ok())
        return ok.error();
    record.manager_security_group.clear();
    if (!report.efs_kept) record.worker_security_group.clear();

    if (auto ok = setup_steps::delete_manager_role(
            *aws.iam, record.role_name, record.instance_profile_name, say, report.deleted);
        !ok.ok())
        return ok.error();
    record.role_name.clear();
    record.instance_profile_name.clear();
    record.instance_profile_arn.clear();

    if (report.efs_kept) {
        // What is left stays recorded, so a later setup reuses it and a later teardown finds it.
        if (auto saved = save_cloud_setup(record); !saved.ok()) return saved.error();
        say("kept EFS " + record.efs_id + ", its mount targets and the group " +
            record.worker_security_group);
    } else if (auto forgot = forget_cloud_setup(region); !forgot.ok()) {
        return forgot.error();
    }
    return report;
}

}  // namespace spotfarm::providers::aws
