#pragma once
// Runs the built `spotfarm` binary (SPOTFARM_EXE) as a user would, for integration tests.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace spotfarm::test {

struct CliRun {
    int exit_code = -1;  // -1 when it did not start, was killed or timed out
    std::string out;     // stdout
    std::string err;     // stderr
    bool mentions(const std::string& text) const {
        return out.find(text) != std::string::npos || err.find(text) != std::string::npos;
    }
};

// `spotfarm args...`, stdout and stderr kept apart; fails the test if it does not finish in time.
CliRun run_cli(const std::vector<std::string>& args,
               std::chrono::seconds timeout = std::chrono::seconds(300),
               const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace spotfarm::test
