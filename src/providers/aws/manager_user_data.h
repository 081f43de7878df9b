#pragma once
// The cloud-init user-data that turns a fresh EC2 instance into the manager of a cloud render:
// EFS mounted, the manager's state folder on it (so a replaced instance finds the queue, the
// tokens and the frames again), the spotfarm binary downloaded and checked against its SHA-256,
// and a systemd service running `spotfarm manager` over HTTPS with the certificate the laptop
// made. When the manager exits by itself (nothing left to do), the instance powers off and
// terminates; a crash restarts it.
//
// The TLS key reaches the service through systemd's credentials (LoadCredential=), readable by
// the service alone. The tokens are written into the state folder only when it has none, so a
// second instance on the same EFS keeps the tokens the laptop recorded the first time.

#include <string>
#include <vector>

#include "providers/aws/user_data.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

inline constexpr const char* k_manager_unit_file = "/etc/systemd/system/spotfarm-manager.service";
inline constexpr const char* k_manager_bootstrap_script =
    "/usr/local/lib/spotfarm/manager-bootstrap.sh";
inline constexpr const char* k_manager_cert_file = "/etc/spotfarm/manager-cert.pem";
inline constexpr const char* k_manager_key_file = "/etc/spotfarm/manager-key.pem";
inline constexpr const char* k_manager_env_file = "/etc/spotfarm/manager.env";
// The laptop's tokens, moved into the state folder by the bootstrap when it has none.
inline constexpr const char* k_manager_people_token_file = "/etc/spotfarm/people.token";
inline constexpr const char* k_manager_join_token_file = "/etc/spotfarm/worker-join.token";

struct ManagerUserDataOptions {
    std::string cert_pem;  // the manager's certificate and key (util/tls_identity.h)
    std::string key_pem;
    std::string people_token;
    std::string join_token;
    EfsMount efs;                                   // required: the state lives there
    std::string state_folder = "spotfarm/manager";  // under the mount point
    int port = 8420;
    // The spotfarm binary and its frame-check module, each with the SHA-256 it must have.
    std::string binary_url;
    std::string binary_sha256;
    std::string frame_check_url;
    std::string frame_check_sha256;
    // After `spotfarm manager --state-dir ... --listen ... --tls-* --manager-url ...`: the
    // fleet's flags (--provider aws, --max, --instance-type...).
    std::vector<std::string> manager_args;
};

// Fails, saying which, when an option is missing or holds characters that have no place in
// YAML, a shell script or a unit file.
util::Result<std::string> make_manager_user_data(const ManagerUserDataOptions& options);

// The pieces, for review and tests; they assume valid options.
std::string make_manager_unit(const ManagerUserDataOptions& options);
std::string make_manager_bootstrap_script(const ManagerUserDataOptions& options);
// The state folder's absolute path on the instance.
std::string manager_state_dir(const ManagerUserDataOptions& options);

}  // namespace spotfarm::providers::aws
