#pragma once
// A `spotfarm` process (the built SPOTFARM_EXE) for integration tests: its output is collected as
// it comes, so it never blocks on a full pipe and a failing test can show it; and waiting is done
// by polling a condition against a deadline, never by a fixed sleep.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/subprocess.h"

namespace spotfarm::test {

class SpotfarmProcess {
public:
    // Starts `spotfarm args...` with `env` set over the test's environment (a failed start fails
    // the test and leaves running() false).
    explicit SpotfarmProcess(std::vector<std::string> args,
                             std::vector<std::pair<std::string, std::string>> env = {});

    bool running();
    pid_t pid() const { return m_child ? m_child->pid() : -1; }
    // Reads what output is there, without waiting.
    void pump();
    // Everything it printed so far.
    const std::string& log();
    // Sends `signal` to the process alone (as `kill -SIG PID` would; its own children are left
    // to fend for themselves) and waits up to `timeout` for it to exit.
    std::optional<util::ExitStatus> stop(int signal, std::chrono::milliseconds timeout);
    // The exit status once it has exited; nullopt while it runs.
    std::optional<util::ExitStatus> exited();

private:
    std::optional<util::Subprocess> m_child;
    std::string m_log;
};

// Polls `condition` every 50 ms (calling `each` before each look) until it holds or `limit`
// passes; returns whether it held.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit,
                const std::function<void()>& each = {});

}  // namespace spotfarm::test
