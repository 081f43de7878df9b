#pragma once
// A real OpenSSH server for a test: Debian's sshd started as root in the foreground
// (`sshd -f own_config -D -e`) on a loopback port, with a host key, the user key it accepts and
// its configuration all under `dir`; no system configuration is read or changed (only the empty
// privilege separation folder /run/sshd that sshd insists on is made when missing). The client
// side comes with it: a key and an ssh configuration file (ssh -F) that trusts the host key on
// first use and keeps known hosts in `dir`. The destructor stops the server and every process it
// started (the sessions and what runs under them).

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "util/result.h"
#include "util/subprocess.h"

namespace spotfarm::test {

class SshdServer {
public:
    // Why this machine cannot run one ("" when it can): sshd logs users in only as root.
    static std::string cannot_run_here();

    // Makes keys and configuration in `dir` and starts sshd on 127.0.0.1:`port`.
    static util::Result<std::unique_ptr<SshdServer>> start(const std::filesystem::path& dir,
                                                           int port);
    ~SshdServer();  // kill()
    SshdServer(const SshdServer&) = delete;
    SshdServer& operator=(const SshdServer&) = delete;

    int port() const { return m_port; }
    std::filesystem::path user_key() const { return m_dir / "user_key"; }
    std::filesystem::path client_config() const { return m_dir / "ssh_config"; }
    // SIGKILL to sshd and everything under it (sessions, their shells, workers, Blender): the
    // host is gone as if its power was cut.
    void kill();
    std::string log() const;

private:
    SshdServer(std::filesystem::path dir, int port) : m_dir(std::move(dir)), m_port(port) {}

    std::filesystem::path m_dir;
    int m_port;
    std::optional<util::Subprocess> m_sshd;
};

// A loopback TCP port free now.
int free_loopback_port();

}  // namespace spotfarm::test
