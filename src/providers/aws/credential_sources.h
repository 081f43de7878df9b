#pragma once
// Where AWS credentials come from, in the order the AWS CLI uses: the environment, the shared
// credentials and config files (a profile), then the instance role through IMDSv2.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "providers/aws/credentials.h"
#include "providers/aws/shared_config.h"
#include "util/clock.h"
#include "util/http_client.h"
#include "util/imds_client.h"

namespace spotfarm::providers::aws {

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. nullopt when the key variables
// are unset; an error when only one of them is.
util::Result<std::optional<Credentials>> credentials_from_environment(const Environment& env);

// The profile's keys from the credentials file, else from the config file. nullopt when neither
// file holds keys for it; an error for half a key pair or a profile kind spotfarm cannot use
// (role_arn, SSO, credential_process).
util::Result<std::optional<Credentials>> credentials_from_shared_files(const Environment& env,
                                                                       const std::string& profile);

// The instance role's temporary credentials from IMDSv2
// (GET /latest/meta-data/iam/security-credentials/ROLE), fetched again 5 minutes before they
// expire. Thread-safe.
class InstanceRoleCredentialsProvider final : public CredentialsProvider {
public:
    InstanceRoleCredentialsProvider(util::HttpClient& http, const util::Clock& clock,
                                    util::ImdsOptions imds = {});
    util::Result<Credentials> credentials() override;

private:
    util::Result<Credentials> fetch();

    std::mutex m_mutex;
    util::ImdsClient m_imds;
    const util::Clock& m_clock;
    std::optional<Credentials> m_cached;
};

struct CredentialOptions {
    std::optional<std::string> profile;  // a --profile flag; beats AWS_PROFILE
    bool use_instance_role = true;
    util::ImdsOptions imds;
};

// The first source that has credentials. A profile asked for by name must exist. The instance
// role is tried once here, so a missing one is reported now rather than at the first call.
util::Result<std::unique_ptr<CredentialsProvider>> resolve_credentials(
    const Environment& env, util::HttpClient& http, const util::Clock& clock,
    const CredentialOptions& options = {});

}  // namespace spotfarm::providers::aws
