#pragma once
// A real one-node Slurm cluster for a test: munged, slurmctld and slurmd (Debian's slurm-wlm and
// munge) started as root in the foreground with everything (key, sockets, slurm.conf, spool,
// state, logs, the job completion log) under `dir`, on loopback ports of their own, so that
// nothing of the system is touched and tests can run side by side. The destructor cancels
// every job, waits for the queue to empty and stops the daemons, leaving no process behind.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"
#include "util/subprocess.h"

namespace spotfarm::test {

class SlurmCluster {
public:
    // Why this machine cannot run one ("" when it can): not root. Missing programs are not a
    // reason: scripts/setup.sh installs them, so their absence fails the test instead.
    static std::string cannot_run_here();

    // Starts the daemons and waits until the node takes jobs.
    static util::Result<std::unique_ptr<SlurmCluster>> start(const std::filesystem::path& dir,
                                                             int cpus = 2);
    ~SlurmCluster();
    SlurmCluster(const SlurmCluster&) = delete;
    SlurmCluster& operator=(const SlurmCluster&) = delete;

    // SLURM_CONF, for every Slurm command run against this cluster.
    std::vector<std::pair<std::string, std::string>> env() const;
    // Runs a Slurm client program (squeue, scancel...) against this cluster; its output.
    std::string run(const std::vector<std::string>& argv) const;
    // The job completion log: one line per finished job ("JobId=... JobState=COMPLETED ...").
    std::vector<std::string> completed_jobs() const;
    // What the daemons logged, for a failing test.
    std::string logs() const;

private:
    explicit SlurmCluster(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    util::Status wait_for_node(std::chrono::seconds limit);

    std::filesystem::path m_dir;
    std::optional<util::Subprocess> m_munged;
    std::optional<util::Subprocess> m_slurmctld;
    std::optional<util::Subprocess> m_slurmd;
};

// A field of a job completion log line: field("JobState=COMPLETED ...", "JobState") ==
// "COMPLETED"; "" when absent.
std::string jobcomp_field(const std::string& line, const std::string& name);

}  // namespace spotfarm::test
