#pragma once
// The hosts file of an SSH fleet (`spotfarm manager --provider ssh --hosts hosts.toml`):
//
//     [[host]]
//     name = "pc1"              # the worker's name; unique
//     address = "10.0.0.21"     # or a ~/.ssh/config alias; default: the name
//     user = "render"           # default: ssh's own choice
//     port = 22
//     key = "~/.ssh/farm_ed25519"
//     cores = 8
//     gpu = true
//     tags = ["big"]
//     blender = "/opt/blender/blender"
//     spotfarm = "~/.local/bin/spotfarm"
//     reverse_tunnel = true     # reach the manager through ssh -R on the same connection
//     tunnel_port = 18420

#include <filesystem>
#include <string_view>
#include <vector>

#include "providers/ssh/ssh_host.h"
#include "util/result.h"

namespace spotfarm::cli {

// The hosts of `text` (read from `path`, named in messages). Errors say the line and the key.
util::Result<std::vector<providers::ssh::SshHost>> parse_ssh_hosts(
    std::string_view text, const std::filesystem::path& path);

util::Result<std::vector<providers::ssh::SshHost>> read_ssh_hosts(
    const std::filesystem::path& path);

}  // namespace spotfarm::cli
