#pragma once
// The flags of a Slurm fleet (`spotfarm manager --provider slurm`, `spotfarm render --slurm`)
// and the provider options made from them.

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "providers/slurm/slurm_options.h"
#include "util/result.h"

namespace spotfarm::cli {

struct SlurmFlags {
    std::string partition;
    std::string account;
    std::string time_limit;
    std::string gres;
    int cpus_per_task = 0;
    std::string memory;
    std::vector<std::string> sbatch_lines;  // --sbatch, repeatable
    std::string sbatch_file;                // its #SBATCH lines are copied into every script
    std::string spotfarm_path;              // spotfarm on the compute nodes; default: this one
};

// --partition, --account, --time-limit, --gres, --cpus-per-task, --mem, --sbatch, --sbatch-file,
// --node-spotfarm.
void add_slurm_flags(CLI::App& command, SlurmFlags& flags);

// The provider's options, but for the worker command and its environment. Fails (invalid) when
// --sbatch-file cannot be read.
util::Result<providers::slurm::SlurmOptions> slurm_options(const SlurmFlags& flags);

}  // namespace spotfarm::cli
