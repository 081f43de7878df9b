#pragma once
// One machine of an SSH fleet, as the hosts file (`--hosts hosts.toml`) describes it.

#include <string>
#include <vector>

namespace spotfarm::providers::ssh {

struct SshHost {
    std::string name;     // the worker's id and name ("pc1"): unique in the file
    std::string address;  // what ssh connects to: a name, an address or a ~/.ssh/config alias
    std::string user;     // empty: ssh's own choice (~/.ssh/config, the local user)
    int port = 0;         // 0: ssh's own choice
    std::string key;      // an identity file; empty: ssh's own choice
    int cores = 0;        // Blender threads; 0: all of them
    bool gpu = false;     // renders on the GPU: the worker is tagged "gpu"
    std::vector<std::string> tags;
    std::string blender;   // Blender's path there; empty: found on the host's PATH
    std::string spotfarm;  // spotfarm's path there; empty: ~/.local/bin/spotfarm
    // The worker reaches the manager through `ssh -R tunnel_port:MANAGER` on the session's own
    // connection (a host behind NAT, or one the manager's address is closed to).
    bool reverse_tunnel = false;
    int tunnel_port = 0;  // the port on the host's loopback; 0: 18420
};

}  // namespace spotfarm::providers::ssh
