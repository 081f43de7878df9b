#pragma once
// The `slurm` provider: workers are tasks of Slurm job arrays. Each scale-up is one `sbatch` of
// an array of N workers (batch_script.h), named spotfarm-FLEET so that squeue finds the fleet
// again after a manager restart; scale-down is `scancel` of array tasks; the state is squeue's,
// and sacct's once a task left the queue (where accounting storage is on). The worker id is the
// array task's id, JOBID_INDEX, which the worker registers with (SPOTFARM_INSTANCE_ID).
// Thread-safe. Every program runs through a CommandRunner, so the logic is tested with a fake.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "providers/command_runner.h"
#include "providers/provider.h"
#include "providers/slurm/slurm_options.h"
#include "util/clock.h"

namespace spotfarm::providers::slurm {

class SlurmProvider final : public Provider {
public:
    // `runner` and `clock` must outlive the provider.
    SlurmProvider(CommandRunner& runner, const util::Clock& clock, SlurmOptions options);

    std::string_view name() const override { return "slurm"; }
    // One sbatch of an array of request.count workers; all of them are queued or none.
    util::Result<StartResult> start_workers(const StartRequest& request) override;
    // squeue's tasks of the fleet, and the ones that left it (stopped, with sacct's word).
    util::Result<std::vector<WorkerInstance>> list_workers() override;
    // scancel of those array tasks: Slurm sends SIGTERM, the worker drains.
    util::Status stop_workers(const std::vector<std::string>& ids) override;
    // scancel of every job of the fleet, by its name.
    util::Status stop_all() override;
    // Node-hours of the fleet's tasks from their start; no price (the cluster's own business).
    util::Result<CostReport> cost_so_far() override;

private:
    util::Result<CommandOutput> run(const std::vector<std::string>& argv,
                                    const CommandEnv& env = {});
    // Marks known tasks missing from `listed` stopped, asking sacct why. Caller holds m_mutex.
    void note_departures(const std::vector<WorkerInstance>& listed);

    CommandRunner& m_runner;
    const util::Clock& m_clock;
    SlurmOptions m_options;
    std::mutex m_mutex;
    std::map<std::string, WorkerInstance> m_known;  // every task seen or started, by id
    std::map<std::string, std::chrono::system_clock::time_point> m_ended;
    std::map<std::string, std::vector<std::string>> m_requests;  // request id -> task ids
    int m_scripts = 0;
};

}  // namespace spotfarm::providers::slurm
