#pragma once
// SIGINT and SIGTERM turned into a flag that long-running loops poll (handlers only set the flag;
// the loop kills children, removes temporary files and returns). The previous handlers come back
// when this goes away. One at a time per process.

#include <atomic>
#include <csignal>

namespace spotfarm::util {

class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    bool raised() const;
    // The signal that arrived first (SIGINT, SIGTERM), 0 when none.
    int signal() const;
    // The exit code a shell expects after it: 128 + signal (130 for Ctrl-C).
    int exit_code() const { return 128 + signal(); }
    // How many have arrived, for loops where a second one means "now" (a worker's drain).
    const std::atomic<int>& count() const;

private:
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
};

}  // namespace spotfarm::util
