#pragma once
// A client for IAM's Query API (version 2010-05-08): form-encoded POSTs to the global endpoint,
// signed for us-east-1, answers read from XML. Only what `cloud setup` and `teardown` need: a
// role with an inline policy, and an instance profile that carries it.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/aws_call.h"
#include "providers/aws/ec2_types.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

inline constexpr const char* k_iam_api_version = "2010-05-08";

struct IamRole {
    std::string name, arn, path;
};

struct IamInstanceProfile {
    std::string name, arn, path;
    std::vector<std::string> role_names;
};

// Thread-safe.
class IamClient {
public:
    // `endpoint` empty: https://iam.amazonaws.com/.
    static util::Result<std::unique_ptr<IamClient>> create(AwsClientServices services,
                                                           std::string endpoint,
                                                           RetryPolicy retry = {});

    // nullopt when there is no such role (NoSuchEntity).
    util::Result<std::optional<IamRole>> get_role(const std::string& name);
    // `trust_policy` is the JSON document of who may assume the role.
    util::Result<IamRole> create_role(const std::string& name, const std::string& path,
                                      const std::string& trust_policy,
                                      const std::vector<Tag>& tags);
    // Creates or replaces the role's inline policy of that name.
    util::Status put_role_policy(const std::string& role, const std::string& policy_name,
                                 const std::string& policy);
    // The names of the role's inline policies.
    util::Result<std::vector<std::string>> list_role_policies(const std::string& role);
    util::Status delete_role_policy(const std::string& role, const std::string& policy_name);
    util::Status delete_role(const std::string& name);

    util::Result<std::optional<IamInstanceProfile>> get_instance_profile(const std::string& name);
    util::Result<IamInstanceProfile> create_instance_profile(const std::string& name,
                                                             const std::string& path,
                                                             const std::vector<Tag>& tags);
    util::Status add_role_to_instance_profile(const std::string& profile, const std::string& role);
    util::Status remove_role_from_instance_profile(const std::string& profile,
                                                   const std::string& role);
    util::Status delete_instance_profile(const std::string& name);

    const std::string& endpoint() const { return m_caller.endpoint(); }

private:
    explicit IamClient(AwsCaller caller) : m_caller(std::move(caller)) {}
    // The answer's XML, or the error as a message (NoSuchEntity kept as ErrorKind::not_found).
    util::Result<std::string> call(const QueryParams& params);

    AwsCaller m_caller;
};

}  // namespace spotfarm::providers::aws
