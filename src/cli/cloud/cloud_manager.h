#pragma once
// The manager of a cloud render, on a small on-demand instance in the region: found again when
// this machine recorded one that still runs, else launched (user-data from
// providers/aws/manager_user_data.h, a TLS key and certificate made here, new tokens), recorded
// before it is waited for (so a command killed meanwhile finds it), and waited for until it
// answers over TLS with the pinned key.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cloud/cloud_manager_record.h"
#include "providers/aws/cloud_setup_record.h"
#include "providers/aws/ec2_client.h"
#include "util/clock.h"
#include "util/result.h"
#include "util/sleeper.h"

namespace spotfarm::cli {

// The tag (and its value) the manager's instance wears.
inline constexpr const char* k_role_tag = "spotfarm:role";
inline constexpr const char* k_manager_role = "manager";

struct CloudManagerPlan {
    providers::aws::CloudSetupRecord setup;  // groups, EFS, instance profile, subnets
    std::string image_id;                    // the manager's image (Debian)
    std::string instance_type = "t3.small";
    int port = 8420;
    // Where the instance downloads spotfarm and its frame-check module, with their SHA-256.
    std::string binary_url, binary_sha256, frame_check_url, frame_check_sha256;
    // The fleet flags of `spotfarm manager` on the instance (--provider aws, --max, ...).
    std::vector<std::string> manager_args;
    std::chrono::seconds address_timeout{300};  // until EC2 gives the instance an address
    std::chrono::seconds answer_timeout{900};   // until the manager answers
    std::chrono::seconds poll_every{5};
};

// How the manager is reached: one call of GET /api/v1/jobs with the record's token, pinned.
// Returns the HTTP status, or an Error when no answer came (not up yet, or the pin failed).
using ManagerProbe = std::function<util::Result<int>(const CloudManagerRecord&)>;

// The probe over the network: GET /api/v1/jobs at the record's URL with its people token,
// trusting only the key of its pin (10 s at most).
util::Result<int> probe_over_tls(const CloudManagerRecord& record);

struct CloudManagerDeps {
    providers::aws::Ec2Client& ec2;
    const util::Clock& clock;
    util::Sleeper& sleeper;
    ManagerProbe probe;
    std::function<void(std::string_view)> say;
};

// The running manager of the plan's region, launched when none is recorded and alive. Errors
// say what to do: an untracked manager instance in the region, a launch EC2 refused, a manager
// that never answered (its instance is then terminated, so it bills no more).
util::Result<CloudManagerRecord> ensure_cloud_manager(CloudManagerDeps deps,
                                                      const CloudManagerPlan& plan,
                                                      const std::filesystem::path& state_dir);

// Terminates the recorded manager's instance and forgets the record.
util::Status stop_cloud_manager(providers::aws::Ec2Client& ec2, const CloudManagerRecord& record,
                                const std::filesystem::path& state_dir);

}  // namespace spotfarm::cli
