#pragma once
// `spotfarm cloud setup`: everything a render needs in an account, made once and idempotently
// (security groups, EFS with a mount target per subnet, the manager's role and instance profile),
// each resource tagged spotfarm:setup=REGION and recorded on this machine (cloud_setup_record.h).
// `teardown` removes it in the reverse order.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "providers/aws/aws_services.h"
#include "providers/aws/cloud_setup_record.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// The tag every setup resource carries, its value the region.
inline constexpr const char* k_setup_tag = "spotfarm:setup";

// Instances carrying either tag key belong to a render (its workers, its manager): teardown
// refuses while any of them is not terminated.
inline constexpr const char* k_manager_tag = "spotfarm:manager";

// Progress lines for people ("created security group sg-... (spotfarm-workers)").
using SayFn = std::function<void(std::string_view)>;

struct CloudSetupOptions {
    std::string vpc_id;                   // empty: the region's default VPC
    std::vector<std::string> subnet_ids;  // empty: the VPC's default subnet in each zone
    std::string allow_from;               // CIDR; empty: this machine's public address as /32
    // Where this machine's public address is asked for (a checkip-style page that answers the
    // caller's address as text).
    std::string checkip_url = "https://checkip.amazonaws.com/";
    int manager_port = 8420;  // the port people reach the manager on
    std::chrono::seconds efs_wait{600};
    std::chrono::seconds efs_poll{5};
};

// Names derived from the region, the same on every run (so setup finds what it made).
std::string manager_group_name();                           // "spotfarm-manager"
std::string worker_group_name();                            // "spotfarm-workers"
std::string manager_role_name(const std::string& region);   // "spotfarm-manager-REGION"
std::string efs_creation_token(const std::string& region);  // "spotfarm-REGION"

// Makes what is missing, checks what is there, records the result and returns it. Running it
// again changes nothing. Errors say what to do (no default VPC: pass --vpc/--subnet).
util::Result<CloudSetupRecord> ensure_cloud_setup(AwsServices& aws,
                                                  const CloudSetupOptions& options,
                                                  const SayFn& say);

// The least-privilege policy of the manager's role in `region` (JSON): launch, tag, list and
// terminate only spotfarm-tagged instances, EC2 Fleet and launch templates, iam:PassRole for
// spotfarm's own roles, and reading AWS's public image parameters.
std::string manager_role_policy(const std::string& region);
// Who may assume the role: EC2 instances.
std::string manager_trust_policy();

struct TeardownOptions {
    bool keep_efs = false;
    // How often AWS is asked whether mount targets are gone and groups are free, and how many
    // times before teardown gives up.
    std::chrono::seconds poll{5};
    int max_polls = 120;
    // Asked before EFS is deleted, with what it holds; false keeps it. Empty: delete.
    std::function<bool(const EfsFileSystem&)> confirm_efs_delete;
};

// What teardown found and removed.
struct TeardownReport {
    bool nothing_recorded = false;
    bool efs_kept = false;
    std::vector<std::string> deleted;  // "security group sg-...", "EFS fs-...", ...
};

// Removes what setup made, in the order AWS allows (mount targets, EFS, groups, profile, role);
// refuses (ErrorKind::conflict) while instances tagged spotfarm:fleet or spotfarm:manager live.
util::Result<TeardownReport> teardown_cloud_setup(AwsServices& aws, const std::string& region,
                                                  const TeardownOptions& options, const SayFn& say);

// This machine's public address as AWS sees it, from `checkip_url`, as a /32 CIDR.
util::Result<std::string> public_address_cidr(util::HttpClient& http,
                                              const std::string& checkip_url);

}  // namespace spotfarm::providers::aws
