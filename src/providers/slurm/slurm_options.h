#pragma once
// What a Slurm fleet asks of the cluster: where its worker jobs run and what they may use.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace spotfarm::providers::slurm {

struct SlurmOptions {
    std::string fleet_id = "slurm";  // the jobs are named spotfarm-FLEET_ID
    std::string partition;           // --partition; empty: the cluster's default
    std::string account;             // --account; empty: the user's default
    std::string time_limit;          // --time ("30", "2:00:00", "1-00:00:00"); empty: default
    std::string gres;                // --gres ("gpu:1"); empty: none
    int cpus_per_task = 0;           // --cpus-per-task; 0: the cluster's default
    std::string memory;              // --mem ("8G"); empty: the cluster's default
    // More batch options, each "#SBATCH --qos=low" or just "--qos=low".
    std::vector<std::string> extra_lines;
    // The worker's command line; "{id}" becomes the array task's id (JOBID_INDEX).
    std::vector<std::string> worker_command;
    // Set in the job's environment (sbatch passes the submitter's on): the join token travels
    // here, never in the script, which other users of the cluster may read.
    std::vector<std::pair<std::string, std::string>> env;
    // Batch scripts and the workers' logs (ID.log) go here; the compute nodes must reach it.
    std::filesystem::path work_dir;
};

// The job name of a fleet's worker jobs: how its jobs are found again.
std::string job_name(const SlurmOptions& options);

}  // namespace spotfarm::providers::slurm
