#pragma once
// The manager a cloud render started, recorded on this machine: which instance, where it
// answers, the pin of its certificate and the people token. `render --cloud aws` writes it when
// it launches the manager and reuses it while the instance lives; `jobs --cloud aws` and `sync
// --cloud aws` find the manager again through it after the laptop slept or the command was
// killed. The pin comes from the certificate this machine made, never from what answers.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "cli/client/client_config.h"
#include "util/result.h"

namespace spotfarm::cli {

struct CloudManagerRecord {
    std::string region;
    std::string instance_id;  // i-...
    std::string url;          // https://PUBLIC-ADDRESS:PORT
    std::string pin;          // sha256//... of the certificate made for this manager
    std::string people_token;
    std::string instance_type;
    std::string launched_at;  // ISO 8601, UTC

    bool operator==(const CloudManagerRecord&) const = default;
};

// The folder of the cloud records: $SPOTFARM_CLOUD_STATE, else $XDG_STATE_HOME/spotfarm/cloud,
// else ~/.local/state/spotfarm/cloud (the same folder `cloud setup` records in).
std::filesystem::path cloud_state_dir(
    const std::function<std::optional<std::string>(const std::string&)>& getenv,
    const std::filesystem::path& home);

// REGION.manager.json in `dir`.
std::filesystem::path cloud_manager_record_path(const std::filesystem::path& dir,
                                                const std::string& region);

// nullopt when none is recorded; an error naming the file when it cannot be read.
util::Result<std::optional<CloudManagerRecord>> load_cloud_manager(const std::filesystem::path& dir,
                                                                   const std::string& region);
// Written atomically, readable by its owner only (it holds the people token).
util::Status save_cloud_manager(const std::filesystem::path& dir, const CloudManagerRecord& record);
// No record is no error.
util::Status forget_cloud_manager(const std::filesystem::path& dir, const std::string& region);

// The connection the people commands use for the recorded manager.
ClientConfig client_config_of(const CloudManagerRecord& record,
                              const std::filesystem::path& record_path);

}  // namespace spotfarm::cli
