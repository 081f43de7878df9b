// Setup's IAM step: the manager's role, its inline policy, and its instance profile.
#include <algorithm>

#include "providers/aws/cloud_setup_steps.h"

namespace spotfarm::providers::aws::setup_steps {
namespace {

constexpr const char* k_path = "/spotfarm/";
constexpr const char* k_policy_name = "spotfarm-manager";

}  // namespace

util::Status ensure_manager_role(IamClient& iam, CloudSetupRecord& record, const SayFn& say) {
    const std::string name = manager_role_name(record.region);
    const auto tags = setup_tags(record.region, name);
    auto role = iam.get_role(name);
    if (!role.ok()) return role.error();
    if (*role) {
        say("IAM role " + name + " (exists)");
    } else {
        auto made = iam.create_role(name, k_path, manager_trust_policy(), tags);
        if (!made.ok()) return made.error();
        say("IAM role " + name + " (created)");
    }
    // PutRolePolicy replaces the policy: a role made by an older spotfarm gets today's.
    if (auto put = iam.put_role_policy(name, k_policy_name, manager_role_policy(record.region));
        !put.ok())
        return put;
    record.role_name = name;

    auto profile = iam.get_instance_profile(name);
    if (!profile.ok()) return profile.error();
    if (!*profile) {
        auto made = iam.create_instance_profile(name, k_path, tags);
        if (!made.ok()) return made.error();
        profile = std::optional<IamInstanceProfile>(*made);
        say("instance profile " + name + " (created)");
    } else {
        say("instance profile " + name + " (exists)");
    }
    const auto& roles = (*profile)->role_names;
    if (std::find(roles.begin(), roles.end(), name) == roles.end()) {
        if (auto added = iam.add_role_to_instance_profile(name, name); !added.ok()) return added;
    }
    record.instance_profile_name = name;
    record.instance_profile_arn = (*profile)->arn;
    return {};
}

util::Status delete_manager_role(IamClient& iam, const std::string& role,
                                 const std::string& profile, const SayFn& say,
                                 std::vector<std::string>& deleted) {
    auto found_profile = iam.get_instance_profile(profile);
    if (!found_profile.ok()) return found_profile.error();
    if (*found_profile) {
        for (const auto& held : (*found_profile)->role_names)
            if (auto removed = iam.remove_role_from_instance_profile(profile, held); !removed.ok())
                return removed;
        if (auto gone = iam.delete_instance_profile(profile); !gone.ok()) return gone;
        say("deleted instance profile " + profile);
        deleted.push_back("instance profile " + profile);
    }
    auto found_role = iam.get_role(role);
    if (!found_role.ok()) return found_role.error();
    if (!*found_role) return {};
    auto policies = iam.list_role_policies(role);
    if (!policies.ok()) return policies.error();
    for (const auto& policy : *policies)
        if (auto gone = iam.delete_role_policy(role, policy); !gone.ok()) return gone;
    if (auto gone = iam.delete_role(role); !gone.ok()) return gone;
    say("deleted IAM role " + role);
    deleted.push_back("IAM role " + role);
    return {};
}

}  // namespace spotfarm::providers::aws::setup_steps
