#include "providers/aws/user_data.h"

#include <algorithm>
#include <sstream>

#include "core/instance_identity.h"
#include "providers/aws/region.h"
#include "providers/aws/uri.h"
#include "util/self_executable.h"

namespace spotfarm::providers::aws {

const std::vector<std::string> k_blender_runtime_packages = {
    "libx11-6",      "libxi6", "libxxf86vm1", "libxfixes3", "libxrender1", "libxext6",
    "libxkbcommon0", "libsm6", "libice6",     "libgl1",     "libegl1",
};

namespace {

// AWS's recommended options for EFS over NFSv4.1.
// Where cloud-init writes the id of the instance it runs on (on EC2: the instance id).
constexpr const char* k_cloud_init_instance_id = "/var/lib/cloud/data/instance-id";

constexpr const char* k_efs_nfs_options =
    "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport";

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Letters, digits and the characters in `extra`, and at least one character.
bool made_of(std::string_view text, std::string_view extra) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
        return is_alnum(c) || extra.find(c) != std::string_view::npos;
    });
}

bool is_path(std::string_view path) {
    return path.size() > 1 && path.front() == '/' && made_of(path, "/._-") &&
           path.find("..") == std::string_view::npos;
}

util::Status bad(const std::string& what) {
    return util::make_error("user-data: " + what);
}

util::Status check(const UserDataOptions& o) {
    const auto url = parse_url(o.manager_url);
    if (!url.ok() || !url->query.empty() || !made_of(o.manager_url, ":/._-[]"))
        return bad("the manager URL '" + o.manager_url +
                   "' must be a plain http(s)://host:port/ URL that the instances can reach");
    if (o.join_token.size() < 8 || !made_of(o.join_token, "._~+/=-"))
        return bad("the join token must be 8 or more letters, digits or ._~+/=-");
    if (!o.manager_pin.empty() &&
        (!o.manager_pin.starts_with("sha256//") || !made_of(o.manager_pin, "/+=")))
        return bad("the manager pin must look like sha256//BASE64, as the manager prints it");
    if (!made_of(o.token_variable, "_") || o.token_variable.starts_with("AWS"))
        return bad("'" + o.token_variable + "' cannot name the join token's variable");
    if (o.efs) {
        if (auto problem = efs_mount_problem(*o.efs); !problem.empty()) return bad(problem);
    }
    if (o.binary_source == WorkerBinarySource::efs) {
        if (!o.efs) return bad("taking the worker binary from EFS needs an EFS file system");
        if (!is_path(o.efs_binary_path) || !o.efs_binary_path.starts_with(o.efs->mount_point + "/"))
            return bad("the worker binary path '" + o.efs_binary_path + "' must lie under " +
                       o.efs->mount_point);
    }
    for (const auto& package : o.extra_packages)
        if (!made_of(package, "+.-") || !is_alnum(package.front()))
            return bad("'" + package + "' is not a Debian package name");
    for (const auto& arg : o.worker_args)
        if (!made_of(arg, "-_.=:/,@%+"))
            return bad("the worker argument '" + arg + "' has characters spotfarm will not quote");
    return {};
}

std::string manager_base(const std::string& url) {
    std::string base = url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

// Indents every line of `text` by `spaces` for a YAML block scalar.
std::string indent(const std::string& text, int spaces) {
    std::istringstream in(text);
    std::string out, line;
    const std::string pad(size_t(spaces), ' ');
    while (std::getline(in, line)) out += line.empty() ? "\n" : pad + line + "\n";
    return out;
}

void add_file(std::string& yaml, const char* path, const char* permissions,
              const std::string& content) {
    yaml += cloud_config_file(path, permissions, content);
}

}  // namespace

bool is_plain_value(std::string_view text, std::string_view extra) {
    return made_of(text, extra);
}

std::string cloud_config_file(const char* path, const char* permissions,
                              const std::string& content) {
    std::string yaml = "  - path: " + std::string(path) + "\n";
    yaml += "    owner: root:root\n";
    yaml += "    permissions: '" + std::string(permissions) + "'\n";
    yaml += "    content: |\n";
    yaml += indent(content, 6);
    return yaml;
}

std::string efs_mount_problem(const EfsMount& efs) {
    const std::string_view id = efs.file_system_id;
    if (!id.starts_with("fs-") || !made_of(id.substr(3), "") || id.size() < 11)
        return "'" + efs.file_system_id +
               "' is not an EFS file system id such as fs-0123456789abcdef0";
    if (!is_valid_region_name(efs.region))
        return "the EFS region '" + efs.region + "' is not a region name";
    if (!is_path(efs.mount_point))
        return "the EFS mount point '" + efs.mount_point + "' must be an absolute path";
    return "";
}

std::string bootstrap_preamble(const std::string& what) {
    return "#!/bin/sh\n"
           "# Makes this instance a spotfarm " +
           what +
           ". Any failure powers it off, and the instance\n"
           "# terminates, so a broken " +
           what +
           " never bills while idle.\n"
           "set -u\n"
           "fail() {\n"
           "    echo \"spotfarm bootstrap failed: $*\" >&2\n"
           "    logger -t spotfarm \"bootstrap failed: $*\" 2>/dev/null || true\n"
           "    /sbin/poweroff\n"
           "    exit 1\n"
           "}\n"
           "retry() {\n"
           "    tries=0\n"
           "    until \"$@\"; do\n"
           "        tries=$((tries + 1))\n"
           "        [ \"$tries\" -lt 30 ] || return 1\n"
           "        sleep 10\n"
           "    done\n"
           "}\n";
}

std::string efs_mount_lines(const EfsMount& efs) {
    const std::string& mp = efs.mount_point;
    std::string s = "mkdir -p " + mp + " || fail 'cannot create " + mp + "'\n";
    s += "grep -qs ' " + mp + " ' /etc/fstab || echo '" + make_efs_fstab_line(efs) +
         "' >> /etc/fstab || fail 'cannot write /etc/fstab'\n";
    s += "mount_efs() { mountpoint -q " + mp + " || mount " + mp + "; }\n";
    s += "retry mount_efs || fail 'cannot mount " + efs.file_system_id + " on " + mp +
         " (check the mount target and its security group: NFS, TCP 2049)'\n";
    return s;
}

std::string make_efs_fstab_line(const EfsMount& efs) {
    return efs.file_system_id + ".efs." + efs.region + ".amazonaws.com:/ " + efs.mount_point +
           " nfs4 " + k_efs_nfs_options + ",_netdev 0 0";
}

std::string make_worker_unit(const UserDataOptions& o) {
    std::string exec =
        std::string(k_worker_binary) + " worker --manager " + manager_base(o.manager_url);
    // Drain on EC2's two-minute Spot notice rather than lose the frame in progress.
    exec += " --spot-watch";
    if (!o.manager_pin.empty()) exec += " --manager-pin " + o.manager_pin;
    for (const auto& arg : o.worker_args) exec += " " + arg;
    std::string unit =
        "[Unit]\n"
        "Description=spotfarm render worker\n"
        "Wants=network-online.target\n"
        "After=network-online.target remote-fs.target\n";
    if (o.efs) unit += "RequiresMountsFor=" + o.efs->mount_point + "\n";
    unit +=
        "\n"
        "[Service]\n"
        "Type=simple\n"
        "EnvironmentFile=" +
        std::string(k_worker_env_file) +
        "\n"
        "ExecStart=" +
        exec + "\n" + make_worker_sandbox(o) +
        "# The instance exists to run this worker: when it exits, power off, and EC2 terminates\n"
        "# the instance (InstanceInitiatedShutdownBehavior=terminate) so nothing keeps billing.\n"
        "# '+': as root, outside the sandbox, which has no right to power off.\n"
        "ExecStopPost=+/sbin/poweroff\n"
        "Restart=no\n"
        "KillMode=mixed\n"
        "TimeoutStopSec=100\n"
        "\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n";
    return unit;
}

std::string make_worker_sandbox(const UserDataOptions& o) {
    const std::string state = k_worker_state_dir;
    const std::string cache = k_worker_cache_dir;
    std::string s =
        "# Scenes come from many artists and may run Python (allow_scripts): the worker and its\n"
        "# Blender run as a user of their own that can write its state, its cache and the shared\n"
        "# storage, and nothing else.\n"
        "User=" +
        std::string(k_worker_user) + "\nGroup=" + k_worker_user + "\n";
    s += "StateDirectory=" + state.substr(state.find_last_of('/') + 1) + "\n";
    s += "StateDirectoryMode=0700\n";
    s += "CacheDirectory=" + cache.substr(cache.find_last_of('/') + 1) + "\n";
    s += "CacheDirectoryMode=0700\n";
    s += "Environment=HOME=" + state + " XDG_STATE_HOME=" + state + " XDG_CACHE_HOME=" + cache +
         "\n";
    s += "NoNewPrivileges=yes\n"
         "ProtectSystem=strict\n"
         "ProtectHome=yes\n"
         "PrivateTmp=yes\n";
    if (o.efs) s += "ReadWritePaths=" + o.efs->mount_point + "\n";
    // Not PrivateDevices=: GPU rendering needs /dev/nvidia* and /dev/dri.
    s += "ProtectKernelTunables=yes\n"
         "ProtectKernelModules=yes\n"
         "ProtectKernelLogs=yes\n"
         "ProtectControlGroups=yes\n"
         "ProtectClock=yes\n"
         "ProtectHostname=yes\n"
         "RestrictSUIDSGID=yes\n"
         "RestrictNamespaces=yes\n"
         "RestrictRealtime=yes\n"
         "LockPersonality=yes\n"
         "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n"
         "SystemCallArchitectures=native\n"
         "CapabilityBoundingSet=\n";
    return s;
}

std::string make_bootstrap_script(const UserDataOptions& o) {
    std::string s = bootstrap_preamble("worker");
    // The worker registers with its instance id, so the fleet controller can tell an instance
    // whose worker never came up from one that works (core/instance_identity.h).
    s += "\n# This instance's id (cloud-init keeps EC2's), for the worker.\n";
    s += "id=$(cat " + std::string(k_cloud_init_instance_id) +
         ") && [ -n \"$id\" ] || fail "
         "'cannot read the instance id from " +
         k_cloud_init_instance_id + "'\n";
    s += "echo \"" + std::string(core::k_instance_id_variable) + "=$id\" >> " +
         std::string(k_worker_env_file) + " || fail 'cannot write " + k_worker_env_file + "'\n";
    const std::string user = k_worker_user;
    const std::string uid = std::to_string(k_worker_uid);
    s += "\n# The worker's own user, with no login and no password; GPUs need video/render.\n";
    s += "id -u " + user + " >/dev/null 2>&1 || useradd --system --uid " + uid + " --user-group " +
         "--home-dir " + k_worker_state_dir + " --no-create-home --shell /usr/sbin/nologin " +
         user + " || fail 'cannot create the user " + user + "'\n";
    s += "for group in video render; do\n";
    s += "    getent group \"$group\" >/dev/null && usermod -a -G \"$group\" " + user + "\n";
    s += "done\n";
    if (o.efs) {
        const std::string& mp = o.efs->mount_point;
        s +=
            "\n# EFS, with AWS's recommended NFS options; _netdev waits for the network at boot.\n";
        s += efs_mount_lines(*o.efs);
        // The worker writes frames there; the same uid on every instance owns them.
        s += "chown " + user + ":" + user + " " + mp + " || fail 'cannot give " + mp + " to " +
             user + "'\n";
    }
    s += "\n# The worker binary and, beside it, the frame-check module it loads.\n";
    const std::string module =
        std::string(k_worker_binary_dir) + "/" + std::string(util::k_frame_check_file);
    if (o.binary_source == WorkerBinarySource::efs) {
        const std::string efs_module =
            o.efs_binary_path.substr(0, o.efs_binary_path.find_last_of('/') + 1) +
            std::string(util::k_frame_check_file);
        s += "install -m 0755 " + o.efs_binary_path + " " + k_worker_binary +
             " || fail 'cannot copy " + o.efs_binary_path + "'\n";
        s += "install -m 0644 " + efs_module + " " + module + " || fail 'cannot copy " +
             efs_module + "'\n";
    } else {
        const std::string url = manager_base(o.manager_url) + k_download_path;
        const std::string env_file = k_worker_env_file;
        s += "[ -r " + env_file + " ] || fail 'cannot read " + env_file + "'\n";
        s += ". " + env_file + "\n";
        s += "# The token goes to curl on stdin (-K -), not on its command line.\n";
        const std::string part = std::string(k_worker_binary) + ".part";
        const std::string module_url =
            manager_base(o.manager_url) + k_download_dir + std::string(util::k_frame_check_file);
        s += "download() {\n";
        s += "    printf 'header = \"Authorization: Bearer %s\"\\n' \"$" + o.token_variable +
             "\" |\n";
        // With a pin, the manager's self-signed certificate is trusted by its key alone (-k
        // turns off the chain and host checks, never the pin's).
        const std::string pin =
            o.manager_pin.empty() ? "" : "-k --pinnedpubkey '" + o.manager_pin + "' ";
        s += "        curl -fsS --connect-timeout 10 " + pin + "-K - -o \"$2\" \"$1\"\n";
        s += "}\n";
        s += "retry download '" + url + "' " + part + " || fail 'cannot download the worker from " +
             url + "'\n";
        s += "retry download '" + module_url + "' " + module + ".part || fail 'cannot download " +
             "the frame-check module from " + module_url + "'\n";
        s += "chmod 0755 " + part + " && mv " + part + " " + k_worker_binary +
             " || fail 'cannot install " + k_worker_binary + "'\n";
        s += "mv " + module + ".part " + module + " || fail 'cannot install " + module + "'\n";
    }
    s += "\nsystemctl daemon-reload || fail 'systemctl daemon-reload failed'\n";
    s += "systemctl enable --now spotfarm-worker.service || fail 'the worker service did not "
         "start'\n";
    return s;
}

util::Result<std::string> make_user_data(const UserDataOptions& o) {
    if (auto ok = check(o); !ok) return ok.error();
    std::string yaml =
        "#cloud-config\n"
        "# A spotfarm worker. It holds the manager's join token, never AWS keys: the instance's\n"
        "# own role (if any) is all the AWS access it has.\n"
        "package_update: true\n"
        "packages:\n";
    std::vector<std::string> packages = {"nfs-common", "curl", "ca-certificates"};
    packages.insert(packages.end(), k_blender_runtime_packages.begin(),
                    k_blender_runtime_packages.end());
    packages.insert(packages.end(), o.extra_packages.begin(), o.extra_packages.end());
    for (const auto& package : packages) yaml += "  - " + package + "\n";
    yaml += "write_files:\n";
    add_file(yaml, k_worker_env_file, "0600", o.token_variable + "=" + o.join_token + "\n");
    add_file(yaml, k_worker_unit_file, "0644", make_worker_unit(o));
    add_file(yaml, k_bootstrap_script, "0755", make_bootstrap_script(o));
    yaml += "runcmd:\n";
    yaml += "  - [/bin/sh, " + std::string(k_bootstrap_script) + "]\n";
    return yaml;
}

}  // namespace spotfarm::providers::aws
