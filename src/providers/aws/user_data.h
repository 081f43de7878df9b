#pragma once
// The cloud-init user-data (#cloud-config) that turns a fresh EC2 instance into a spotfarm worker:
// Blender's runtime libraries and nfs-common, EFS mounted with AWS's recommended NFS options, the
// worker binary fetched from the manager (or EFS), and a systemd service running
// `spotfarm worker --manager URL` that powers the instance off when the worker exits.
//
// The worker, and so Blender and any scene Python, runs as the unprivileged user k_worker_user
// in a systemd sandbox (read-only system, no home folders, private /tmp, no new privileges): it
// can write its state and cache folders and the EFS mount, nothing else. The join token travels
// in an EnvironmentFile readable by root only, but it is also in the user-data itself, which any
// process on the instance can read from the instance metadata service (docs/cloud.md); AWS keys
// never travel.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace spotfarm::providers::aws {

// Shared libraries the official Blender Linux build loads even in background mode.
extern const std::vector<std::string> k_blender_runtime_packages;

// The worker's own user. A fixed uid, so that files on a shared EFS have the same owner whichever
// instance wrote them.
inline constexpr const char* k_worker_user = "spotfarm";
inline constexpr int k_worker_uid = 6420;
// systemd creates these for the worker (StateDirectory=, CacheDirectory=), owned by it.
inline constexpr const char* k_worker_state_dir = "/var/lib/spotfarm";
inline constexpr const char* k_worker_cache_dir = "/var/cache/spotfarm";

inline constexpr const char* k_worker_env_file = "/etc/spotfarm/worker.env";
inline constexpr const char* k_worker_unit_file = "/etc/systemd/system/spotfarm-worker.service";
inline constexpr const char* k_bootstrap_script = "/usr/local/lib/spotfarm/bootstrap.sh";
inline constexpr const char* k_worker_binary = "/usr/local/bin/spotfarm";
// The manager serves its own binary here; the join token authorizes the download.
inline constexpr const char* k_download_path = "/api/v1/download/spotfarm";
// The worker loads the frame-check module (util::k_frame_check_file) from beside its binary;
// the manager serves it under k_download_dir.
inline constexpr const char* k_worker_binary_dir = "/usr/local/bin";
inline constexpr const char* k_download_dir = "/api/v1/download/";

struct EfsMount {
    std::string file_system_id;  // fs-0123456789abcdef0
    std::string region;          // names the mount target: fs-ID.efs.REGION.amazonaws.com
    std::string mount_point = "/mnt/efs";
};

enum class WorkerBinarySource { manager, efs };

struct UserDataOptions {
    std::string manager_url;  // as the instances reach it, e.g. http://10.0.0.5:8700
    std::string join_token;
    std::string token_variable = "SPOTFARM_JOIN_TOKEN";  // its name in the EnvironmentFile
    // With an https manager: "sha256//BASE64" of its key, the only key the instance trusts
    // (util/tls_identity.h). Empty: plain http, or a certificate the system trusts.
    std::string manager_pin;
    std::optional<EfsMount> efs;
    WorkerBinarySource binary_source = WorkerBinarySource::manager;
    std::string efs_binary_path;  // with WorkerBinarySource::efs: e.g. /mnt/efs/bin/spotfarm
    std::vector<std::string> extra_packages;
    std::vector<std::string> worker_args;  // after `spotfarm worker --manager URL`
};

// Fails, saying which, when an option is missing or holds characters that have no place in it
// (every value ends up in YAML, a shell script or a unit file).
util::Result<std::string> make_user_data(const UserDataOptions& options);

// The pieces, for review and tests; they assume valid options.
std::string make_worker_unit(const UserDataOptions& options);
// The [Service] lines that run the worker as k_worker_user in a sandbox.
std::string make_worker_sandbox(const UserDataOptions& options);
std::string make_bootstrap_script(const UserDataOptions& options);
// The /etc/fstab line for the EFS mount (AWS's NFS options plus _netdev).
std::string make_efs_fstab_line(const EfsMount& efs);

// Shared with the manager's user-data (manager_user_data.h).
// Whether `text` is made of letters, digits and the characters in `extra` (and not empty).
bool is_plain_value(std::string_view text, std::string_view extra);
// A `write_files` entry owned by root.
std::string cloud_config_file(const char* path, const char* permissions,
                              const std::string& content);
// The EFS id, region and mount point checked; empty when they are fine.
std::string efs_mount_problem(const EfsMount& efs);
// The shell functions fail (log, power off) and retry (30 tries, 10 s apart) that bootstrap
// scripts begin with; `what` names the instance in the failure message.
std::string bootstrap_preamble(const std::string& what);
// Shell lines that mount `efs` (fstab, retried), failing with a message that says what to check.
std::string efs_mount_lines(const EfsMount& efs);

}  // namespace spotfarm::providers::aws
