#include "providers/aws/manager_user_data.h"

#include "util/self_executable.h"

namespace spotfarm::providers::aws {
namespace {

// IMDSv2: a session token first, then this instance's private address for its workers.
constexpr const char* k_imds = "http://169.254.169.254/latest";

util::Status bad(const std::string& what) {
    return util::make_error("manager user-data: " + what, util::ErrorKind::invalid);
}

bool is_sha256(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool is_download_url(const std::string& url) {
    return (url.starts_with("https://") || url.starts_with("http://")) &&
           is_plain_value(url, ":/._-~+%=");
}

util::Status check(const ManagerUserDataOptions& o) {
    if (o.cert_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos ||
        o.key_pem.find("PRIVATE KEY-----") == std::string::npos) {
        return bad("the manager needs its PEM certificate and key");
    }
    for (const auto* token : {&o.people_token, &o.join_token}) {
        if (token->size() < 16 || !is_plain_value(*token, "._~+/=-"))
            return bad("the tokens must be 16 or more letters, digits or ._~+/=-");
    }
    if (auto problem = efs_mount_problem(o.efs); !problem.empty()) return bad(problem);
    if (!is_plain_value(o.state_folder, "/._-") || o.state_folder.front() == '/' ||
        o.state_folder.find("..") != std::string::npos) {
        return bad("the state folder '" + o.state_folder + "' must be a plain relative path");
    }
    if (o.port < 1 || o.port > 65535) return bad("the port must be 1 to 65535");
    if (!is_download_url(o.binary_url) || !is_download_url(o.frame_check_url))
        return bad("the spotfarm binary and its frame-check module need plain download URLs");
    if (!is_sha256(o.binary_sha256) || !is_sha256(o.frame_check_sha256))
        return bad("each download needs its SHA-256 as 64 lower-case hex digits");
    for (const auto& arg : o.manager_args)
        if (!is_plain_value(arg, "-_.=:/,@%+"))
            return bad("the manager argument '" + arg + "' has characters spotfarm will not quote");
    return {};
}

std::string pem_block(const std::string& pem) {
    return pem.ends_with("\n") ? pem : pem + "\n";
}

}  // namespace

std::string manager_state_dir(const ManagerUserDataOptions& o) {
    return o.efs.mount_point + "/" + o.state_folder;
}

std::string make_manager_unit(const ManagerUserDataOptions& o) {
    const std::string port = std::to_string(o.port);
    std::string exec = std::string(k_worker_binary) + " manager --state-dir " +
                       manager_state_dir(o) + " --listen 0.0.0.0:" + port + " --tls-cert " +
                       k_manager_cert_file +
                       " --tls-key %d/tls-key"
                       " --manager-url ${SPOTFARM_MANAGER_URL}";
    for (const auto& arg : o.manager_args) exec += " " + arg;
    return "[Unit]\n"
           "Description=spotfarm manager\n"
           "Wants=network-online.target\n"
           "After=network-online.target remote-fs.target\n"
           "RequiresMountsFor=" +
           o.efs.mount_point +
           "\n"
           "\n"
           "[Service]\n"
           "Type=simple\n"
           "EnvironmentFile=" +
           std::string(k_manager_env_file) +
           "\n"
           "# The key is handed to this service alone, in a folder only it can read.\n"
           "LoadCredential=tls-key:" +
           k_manager_key_file +
           "\n"
           "ExecStart=" +
           exec +
           "\n"
           "# A manager that ends by itself has nothing left to do: power off, and EC2\n"
           "# terminates the instance (InstanceInitiatedShutdownBehavior=terminate). A crash\n"
           "# restarts it on the same state folder instead. ($$: a $ for the shell, not systemd.)\n"
           "ExecStopPost=+/bin/sh -c 'if [ \"$$SERVICE_RESULT\" = success ]; then /sbin/poweroff; "
           "fi'\n"
           "Restart=on-failure\n"
           "RestartSec=5\n"
           "KillMode=mixed\n"
           "TimeoutStopSec=60\n"
           "NoNewPrivileges=yes\n"
           "ProtectHome=yes\n"
           "PrivateTmp=yes\n"
           "\n"
           "[Install]\n"
           "WantedBy=multi-user.target\n";
}

std::string make_manager_bootstrap_script(const ManagerUserDataOptions& o) {
    const std::string state = manager_state_dir(o);
    const std::string bin_dir = k_worker_binary_dir;
    const std::string module = bin_dir + "/" + std::string(util::k_frame_check_file);
    std::string s = bootstrap_preamble("manager");
    s += "\n# EFS, with AWS's recommended NFS options: the manager's state lives there.\n";
    s += efs_mount_lines(o.efs);
    s += "mkdir -p " + state + " && chmod 0700 " + state + " || fail 'cannot create " + state +
         "'\n";
    s +=
        "\n# The tokens the laptop recorded, unless an earlier manager on this EFS left its own.\n";
    s += "for name in people.token worker-join.token; do\n";
    s += "    [ -s " + state + "/$name ] || install -m 0600 /etc/spotfarm/$name " + state +
         "/$name || fail \"cannot write $name\"\n";
    s += "done\n";
    s += "rm -f " + std::string(k_manager_people_token_file) + " " + k_manager_join_token_file +
         "\n";
    s += "\n# spotfarm and its frame-check module, each checked against the SHA-256 the laptop "
         "gave.\n";
    s += "fetch() {\n";
    s += "    curl -fsS --connect-timeout 10 -o \"$2.part\" \"$1\" &&\n";
    s += "        echo \"$3  $2.part\" | sha256sum -c --quiet - && mv \"$2.part\" \"$2\"\n";
    s += "}\n";
    s += "retry fetch '" + o.binary_url + "' " + k_worker_binary + " " + o.binary_sha256 +
         " || fail 'cannot download spotfarm from " + o.binary_url + " (or its SHA-256 differs)'\n";
    s += "chmod 0755 " + std::string(k_worker_binary) + "\n";
    s += "retry fetch '" + o.frame_check_url + "' " + module + " " + o.frame_check_sha256 +
         " || fail 'cannot download the frame-check module from " + o.frame_check_url + "'\n";
    s += "\n# This instance's private address: its workers reach the manager there.\n";
    s += "imds=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' " +
         std::string(k_imds) + "/api/token) || fail 'cannot reach the instance metadata'\n";
    s += "ip=$(curl -fsS -H \"X-aws-ec2-metadata-token: $imds\" " + std::string(k_imds) +
         "/meta-data/local-ipv4) && [ -n \"$ip\" ] || fail 'cannot read the private address'\n";
    s += "echo \"SPOTFARM_MANAGER_URL=https://$ip:" + std::to_string(o.port) + "\" > " +
         k_manager_env_file + " || fail 'cannot write " + k_manager_env_file + "'\n";
    s += "\nsystemctl daemon-reload || fail 'systemctl daemon-reload failed'\n";
    s += "systemctl enable --now spotfarm-manager.service || fail 'the manager service did not "
         "start'\n";
    return s;
}

util::Result<std::string> make_manager_user_data(const ManagerUserDataOptions& o) {
    if (auto ok = check(o); !ok) return ok.error();
    std::string yaml =
        "#cloud-config\n"
        "# A spotfarm manager. It holds its TLS key and the farm's tokens, never AWS keys: the\n"
        "# instance's role is all the AWS access it has.\n"
        "package_update: true\n"
        "packages:\n"
        "  - nfs-common\n"
        "  - curl\n"
        "  - ca-certificates\n"
        "write_files:\n";
    yaml += cloud_config_file(k_manager_key_file, "0600", pem_block(o.key_pem));
    yaml += cloud_config_file(k_manager_cert_file, "0644", pem_block(o.cert_pem));
    yaml += cloud_config_file(k_manager_people_token_file, "0600", o.people_token + "\n");
    yaml += cloud_config_file(k_manager_join_token_file, "0600", o.join_token + "\n");
    yaml += cloud_config_file(k_manager_unit_file, "0644", make_manager_unit(o));
    yaml += cloud_config_file(k_manager_bootstrap_script, "0755", make_manager_bootstrap_script(o));
    yaml += "runcmd:\n";
    yaml += "  - [/bin/sh, " + std::string(k_manager_bootstrap_script) + "]\n";
    return yaml;
}

}  // namespace spotfarm::providers::aws
