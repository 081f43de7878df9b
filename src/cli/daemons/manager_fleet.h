#pragma once
// The fleet a manager runs (`spotfarm manager --provider local|aws|slurm`, `spotfarm render --cloud
// aws`): the flags, the provider made from them, and the FleetRunner that sizes the fleet from
// the queue. The fleet id is kept in the manager's state folder, so a manager restarted on the
// same folder finds its running instances again by their tag instead of launching new ones.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/cloud/cloud_context.h"
#include "cli/daemons/slurm_flags.h"
#include "manager/fleet_runner.h"
#include "manager/manager_service.h"
#include "providers/command_runner.h"
#include "providers/provider.h"
#include "providers/ssh/ssh_session.h"

namespace spotfarm::cli {

struct ManagerFleetFlags {
    std::string provider;  // "" (none), "local", "aws" or "slurm"
    int min_workers = 0;
    int max_workers = 1;
    int frames_per_worker = 10;
    double idle_grace_s = 300;
    double register_timeout_s = 600;
    double refresh_s = 10;  // how often the provider is asked for its instances
    std::string fleet_id;   // default: made once and kept in the state folder
    LaunchFlags launch;     // aws
    WorkerFlags worker;     // what the workers are told; worker_args also for local workers
    AwsFlags aws;
    SlurmFlags slurm;
    std::string ssh_hosts;   // --hosts: the SSH fleet's hosts file
    std::string ssh_config;  // --ssh-config: ssh -F; empty: ~/.ssh/config
};

// --min/--max/--frames-per-worker/--idle-grace/--register-timeout.
void add_fleet_bound_flags(CLI::App& command, ManagerFleetFlags& flags);
// --fleet, the EC2 launch flags, the worker flags and the AWS flags.
// (The Slurm flags are added by add_slurm_flags(command, flags.slurm).)
void add_fleet_launch_flags(CLI::App& command, ManagerFleetFlags& flags);

struct ManagerFleet {
    std::string fleet_id;
    std::unique_ptr<AwsSession> aws;
    std::unique_ptr<providers::CommandRunner> commands;        // slurm, ssh: runs sbatch, ssh...
    std::unique_ptr<providers::ssh::SessionStarter> sessions;  // ssh: the workers' sessions
    std::unique_ptr<providers::Provider> provider;
    std::unique_ptr<manager::FleetRunner> runner;
};

// The provider and runner for a manager whose service is open (its URL and join token known).
// Errors carry the exit code (2 for bad flags or missing credentials). Nothing is launched yet:
// start the runner for that.
util::Result<std::unique_ptr<ManagerFleet>> open_manager_fleet(
    const ManagerFleetFlags& flags, const manager::ManagerService& service,
    const std::filesystem::path& spotfarm_exe);

// The manager's URL for its workers: --manager-url, else the service's own URL unless it listens
// on every address (then instances need to be told which one reaches it).
util::Result<std::string> worker_facing_url(const WorkerFlags& flags,
                                            const manager::ManagerService& service,
                                            const std::string& listen_address);

}  // namespace spotfarm::cli
