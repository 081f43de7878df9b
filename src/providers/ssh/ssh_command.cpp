#include "providers/ssh/ssh_command.h"

#include "providers/command_runner.h"

namespace spotfarm::providers::ssh {

namespace {

std::vector<std::string> connection_options(const SshHost& host, const SshCommandOptions& options) {
    std::vector<std::string> argv;
    if (!options.config_file.empty()) argv.insert(argv.end(), {"-F", options.config_file});
    // No password prompt can be answered: fail instead of waiting for one.
    argv.insert(argv.end(), {"-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o",
                             "ControlPath=" + (options.control_dir / "%C").string(), "-o",
                             "ControlPersist=60", "-o", "ServerAliveInterval=5", "-o",
                             "ServerAliveCountMax=3", "-o", "ConnectTimeout=10"});
    if (!host.key.empty()) argv.insert(argv.end(), {"-o", "IdentityFile=" + host.key});
    if (!host.user.empty()) argv.insert(argv.end(), {"-o", "User=" + host.user});
    return argv;
}

}  // namespace

std::string remote_path(const std::string& path) {
    if (path.rfind("~/", 0) == 0) return "\"$HOME\"/" + shell_quote(path.substr(2));
    return shell_quote(path);
}

std::string spotfarm_path(const SshHost& host) {
    return host.spotfarm.empty() ? "~/.local/bin/spotfarm" : host.spotfarm;
}

std::vector<std::string> ssh_base(const SshHost& host, const SshCommandOptions& options) {
    std::vector<std::string> argv = {"ssh"};
    const auto connection = connection_options(host, options);
    argv.insert(argv.end(), connection.begin(), connection.end());
    if (host.port > 0) argv.insert(argv.end(), {"-p", std::to_string(host.port)});
    argv.push_back(host.address);
    return argv;
}

std::vector<std::string> scp_to(const SshHost& host, const SshCommandOptions& options,
                                const std::filesystem::path& local,
                                const std::string& remote_path) {
    std::vector<std::string> argv = {"scp", "-q"};
    const auto connection = connection_options(host, options);
    argv.insert(argv.end(), connection.begin(), connection.end());
    if (host.port > 0) argv.insert(argv.end(), {"-P", std::to_string(host.port)});
    // scp takes a path without "~/" as relative to the home folder.
    const std::string target =
        remote_path.rfind("~/", 0) == 0 ? remote_path.substr(2) : remote_path;
    const bool v6 = host.address.find(':') != std::string::npos;
    argv.push_back(local.string());
    argv.push_back((v6 ? "[" + host.address + "]" : host.address) + ":" + target);
    return argv;
}

std::vector<std::string> ssh_close(const SshHost& host, const SshCommandOptions& options) {
    std::vector<std::string> argv = ssh_base(host, options);
    argv.insert(argv.end() - 1, {"-O", "exit"});
    return argv;
}

}  // namespace spotfarm::providers::ssh
