#pragma once
// The one way the Slurm and SSH providers reach the outside: running a program (sbatch, squeue,
// scancel, sacct, ssh, scp) to completion and reading what it printed. The providers' logic is
// tested with a recording fake of this interface; the real one runs the programs.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace spotfarm::providers {

struct CommandOutput {
    int exit_code = -1;  // -1 when a signal ended it
    std::string output;  // stdout and stderr as they came
};

using CommandEnv = std::vector<std::pair<std::string, std::string>>;

class CommandRunner {
public:
    virtual ~CommandRunner() = default;
    // Runs `argv` (argv[0] looked up on PATH) with `env` set over this process's environment.
    // Fails when it cannot start or outlives `timeout`; a non-zero exit is an answer, not an error.
    virtual util::Result<CommandOutput> run(const std::vector<std::string>& argv,
                                            const CommandEnv& env,
                                            std::chrono::milliseconds timeout) = 0;
};

// Runs the programs for real (util::run_capture).
class ProcessCommandRunner final : public CommandRunner {
public:
    util::Result<CommandOutput> run(const std::vector<std::string>& argv, const CommandEnv& env,
                                    std::chrono::milliseconds timeout) override;
};

// `text` quoted for a POSIX shell.
std::string shell_quote(const std::string& text);

// "sbatch --parsable script" as a person would type it again, for error messages.
std::string describe_command(const std::vector<std::string>& argv);

}  // namespace spotfarm::providers
