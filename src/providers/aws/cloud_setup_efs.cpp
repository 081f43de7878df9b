// Setup's EFS step: one file system per region, a mount target in every subnet, waited on.
#include <algorithm>

#include "providers/aws/cloud_setup_steps.h"

namespace spotfarm::providers::aws::setup_steps {
namespace {

int polls(const CloudSetupOptions& options) {
    const auto poll = std::max<long long>(1, options.efs_poll.count());
    return int(std::max<long long>(1, options.efs_wait.count() / poll));
}

util::Status wait_file_system(AwsServices& aws, const CloudSetupOptions& options,
                              const std::string& id, const SayFn& say) {
    for (int i = 0; i <= polls(options); ++i) {
        auto fs = aws.efs->describe_file_system(id);
        if (!fs.ok()) return fs.error();
        if (!*fs)
            return util::make_error("the EFS file system " + id +
                                    " disappeared while setup waited for it; run setup again");
        const auto& state = (*fs)->life_cycle_state;
        if (state == "available") return {};
        if (state != "creating" && state != "updating")
            return util::make_error("the EFS file system " + id + " is " + state +
                                    ", not available; delete it in the console (or run `spotfarm "
                                    "cloud teardown`) and run setup again");
        if (i == 0) say("  waiting for " + id + " to become available");
        aws.sleeper.sleep_for(options.efs_poll);
    }
    return util::make_error("the EFS file system " + id + " was not available after " +
                                std::to_string(options.efs_wait.count()) +
                                " s; run `spotfarm cloud setup` again to go on waiting",
                            util::ErrorKind::unavailable);
}

util::Status wait_mount_targets(AwsServices& aws, const CloudSetupOptions& options,
                                const std::string& id, const SayFn& say) {
    for (int i = 0; i <= polls(options); ++i) {
        auto targets = aws.efs->describe_mount_targets(id);
        if (!targets.ok()) return targets.error();
        const auto pending = std::count_if(targets->begin(), targets->end(), [](const auto& mt) {
            return mt.life_cycle_state != "available";
        });
        if (pending == 0) return {};
        if (i == 0) say("  waiting for " + std::to_string(pending) + " mount targets");
        aws.sleeper.sleep_for(options.efs_poll);
    }
    return util::make_error("the mount targets of " + id + " were not available after " +
                                std::to_string(options.efs_wait.count()) +
                                " s; run `spotfarm cloud setup` again to go on waiting",
                            util::ErrorKind::unavailable);
}

}  // namespace

util::Status ensure_efs(AwsServices& aws, const CloudSetupOptions& options,
                        CloudSetupRecord& record, const SayFn& say) {
    const std::string token = efs_creation_token(record.region);
    std::optional<EfsFileSystem> fs;
    if (!record.efs_id.empty()) {
        auto found = aws.efs->describe_file_system(record.efs_id);
        if (!found.ok()) return found.error();
        fs = *found;
    }
    if (!fs) {
        auto found = aws.efs->find_by_creation_token(token);
        if (!found.ok()) return found.error();
        fs = *found;
    }
    if (fs) {
        say("EFS " + fs->id + " (exists)");
    } else {
        auto made = aws.efs->create_file_system(token, setup_tags(record.region, token));
        if (!made.ok()) return made.error();
        fs = *made;
        say("EFS " + fs->id + " (created)");
    }
    record.efs_id = fs->id;
    if (auto ok = wait_file_system(aws, options, fs->id, say); !ok.ok()) return ok;

    auto targets = aws.efs->describe_mount_targets(fs->id);
    if (!targets.ok()) return targets.error();
    for (const auto& subnet : record.subnet_ids) {
        const auto zone = record.subnet_zones[subnet];
        const bool covered = std::any_of(targets->begin(), targets->end(), [&](const auto& mt) {
            return mt.subnet_id == subnet || (!mt.zone.empty() && mt.zone == zone);
        });
        if (covered) continue;
        auto made = aws.efs->create_mount_target(fs->id, subnet, {record.worker_security_group});
        if (!made.ok()) return made.error();
        say("  mount target " + made->id + " in " + subnet + " (" + zone + ", created)");
    }
    return wait_mount_targets(aws, options, fs->id, say);
}

util::Status delete_efs(AwsServices& aws, const std::string& efs_id, const TeardownOptions& options,
                        const SayFn& say, std::vector<std::string>& deleted) {
    auto targets = aws.efs->describe_mount_targets(efs_id);
    if (!targets.ok() && targets.error().kind == util::ErrorKind::not_found) return {};
    if (!targets.ok()) return targets.error();
    for (const auto& mt : *targets) {
        if (auto gone = aws.efs->delete_mount_target(mt.id); !gone.ok()) return gone;
        say("deleted mount target " + mt.id);
        deleted.push_back("mount target " + mt.id);
    }
    // A file system with mount targets cannot be deleted; they take a minute or so to go.
    for (int attempt = 0;; ++attempt) {
        auto left = aws.efs->describe_mount_targets(efs_id);
        if (!left.ok()) return left.error();
        if (left->empty()) break;
        if (attempt >= options.max_polls)
            return util::make_error("the mount targets of " + efs_id +
                                        " are still being deleted; run teardown again later",
                                    util::ErrorKind::unavailable);
        aws.sleeper.sleep_for(options.poll);
    }
    if (auto gone = aws.efs->delete_file_system(efs_id); !gone.ok()) return gone;
    say("deleted EFS " + efs_id);
    deleted.push_back("EFS " + efs_id);
    return {};
}

}  // namespace spotfarm::providers::aws::setup_steps
