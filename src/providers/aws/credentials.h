#pragma once
// AWS credentials and where a client gets them from. The sources themselves (environment, shared
// files, instance role) are in credential_sources.h.

#include <chrono>
#include <optional>
#include <string>

#include "util/result.h"

namespace spotfarm::providers::aws {

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  // empty for long-term keys
    // When temporary credentials stop working; unset for long-term keys.
    std::optional<std::chrono::system_clock::time_point> expiration;
    std::string source;  // where they came from, for messages: "environment", "profile default"...
};

// Hands out credentials that are valid now; implementations may refresh them as they expire.
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    virtual util::Result<Credentials> credentials() = 0;
};

class StaticCredentialsProvider final : public CredentialsProvider {
public:
    explicit StaticCredentialsProvider(Credentials credentials)
        : m_credentials(std::move(credentials)) {}
    util::Result<Credentials> credentials() override { return m_credentials; }

private:
    Credentials m_credentials;
};

}  // namespace spotfarm::providers::aws
