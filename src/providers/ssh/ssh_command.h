#pragma once
// The command lines the SSH provider runs: OpenSSH's own `ssh` and `scp`, sharing one
// connection per host (ControlMaster), so ~/.ssh/config, agents and keys work as they do for
// the user. Pure functions.

#include <filesystem>
#include <string>
#include <vector>

#include "providers/ssh/ssh_host.h"

namespace spotfarm::providers::ssh {

struct SshCommandOptions {
    std::filesystem::path control_dir;  // the ControlPath sockets (%C: one per host)
    std::string config_file;            // ssh -F; empty: ~/.ssh/config
};

// `ssh` with the connection options for `host`, up to and including the destination; append
// "--" and the remote command.
std::vector<std::string> ssh_base(const SshHost& host, const SshCommandOptions& options);

// `scp` of `local` to `remote_path` on `host` (through the same shared connection).
std::vector<std::string> scp_to(const SshHost& host, const SshCommandOptions& options,
                                const std::filesystem::path& local, const std::string& remote_path);

// `ssh -O exit`: ends the host's shared connection.
std::vector<std::string> ssh_close(const SshHost& host, const SshCommandOptions& options);

// A path for the remote shell: "~/x" becomes "$HOME"/'x', the rest is quoted as it is.
std::string remote_path(const std::string& path);

// Where spotfarm lives on the host.
std::string spotfarm_path(const SshHost& host);

}  // namespace spotfarm::providers::ssh
