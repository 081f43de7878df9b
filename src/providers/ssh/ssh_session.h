#pragma once
// A long-lived `ssh` process (the worker runs under it), behind an interface so that the SSH
// provider's logic is tested without one.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/command_runner.h"
#include "util/result.h"

namespace spotfarm::providers::ssh {

class Session {
public:
    virtual ~Session() = default;  // kills what is left of it
    // The exit code once it ended (-1 for a signal); nullopt while it runs.
    virtual std::optional<int> poll() = 0;
    // Its first output line (the remote shell's pid), once printed; empty until then.
    virtual std::string first_line() = 0;
    // Ends it now (SIGTERM to the local ssh, then SIGKILL): the connection drops.
    virtual void kill() = 0;
};

class SessionStarter {
public:
    virtual ~SessionStarter() = default;
    // Starts `argv`, its output appended to the file `log` (read back for first_line()).
    virtual util::Result<std::unique_ptr<Session>> start(const std::vector<std::string>& argv,
                                                         const CommandEnv& env,
                                                         const std::string& log) = 0;
};

// Real ssh processes (util::Subprocess, each its own process group).
class ProcessSessionStarter final : public SessionStarter {
public:
    util::Result<std::unique_ptr<Session>> start(const std::vector<std::string>& argv,
                                                 const CommandEnv& env,
                                                 const std::string& log) override;
};

}  // namespace spotfarm::providers::ssh
