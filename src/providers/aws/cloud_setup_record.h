#pragma once
// What `spotfarm cloud setup` made in a region, recorded on this machine so that later commands
// (render --cloud, cloud status, cloud teardown) find it without searching the account.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace spotfarm::providers::aws {

// What `spotfarm cloud setup` made in one region, as recorded on this machine.
struct CloudSetupRecord {
    std::string region, vpc_id;
    std::vector<std::string> subnet_ids;              // one per availability zone used
    std::map<std::string, std::string> subnet_zones;  // subnet id -> zone
    // The manager's instance wears both groups: the worker group holds the EFS mount targets.
    std::string manager_security_group, worker_security_group;
    std::string efs_id;  // fs-...; mount target per subnet
    std::string role_name, instance_profile_name, instance_profile_arn;
    std::string allow_from;  // CIDR allowed to reach the manager
    std::string created_at;  // ISO 8601

    bool operator==(const CloudSetupRecord&) const = default;
};

// $SPOTFARM_CLOUD_STATE/<region>.json, else $XDG_STATE_HOME/spotfarm/cloud/<region>.json, else
// ~/.local/state/spotfarm/cloud/<region>.json.
std::filesystem::path cloud_setup_record_path(const std::string& region);

// nullopt when no setup is recorded for the region; an error when the record cannot be read.
util::Result<std::optional<CloudSetupRecord>> load_cloud_setup(const std::string& region);

// Writes the record atomically, readable by its owner only (0600), creating the folder.
util::Result<void> save_cloud_setup(const CloudSetupRecord& record);

// Removes the region's record; no record is no error.
util::Result<void> forget_cloud_setup(const std::string& region);

// The record as JSON text and back (the file's format), for tests and `--json` output.
std::string cloud_setup_to_json(const CloudSetupRecord& record);
util::Result<CloudSetupRecord> cloud_setup_from_json(std::string_view text);

}  // namespace spotfarm::providers::aws
