#pragma once
// When this machine's allocation ends, for a worker that runs as a Slurm job: Slurm sends
// SIGTERM (and SIGKILL after its KillWait) at the job's time limit, so the worker should have
// drained by then.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "util/result.h"

namespace spotfarm::worker {

// A variable of the environment, or none.
using GetEnv = std::function<std::optional<std::string>(const std::string&)>;
// Runs `squeue -h -j JOB -o %e` and returns what it printed.
using AskSqueue = std::function<util::Result<std::string>(const std::string& job)>;

// SLURM_JOB_END_TIME (Unix seconds, set by newer Slurm), else squeue's end time of
// SLURM_JOB_ID (local time, "2026-12-05T10:31:02"). None outside a Slurm job, or for a job
// without a time limit ("UNLIMITED", "N/A"); an error when squeue fails or says nonsense.
util::Result<std::optional<std::chrono::system_clock::time_point>> slurm_time_limit(
    const GetEnv& getenv, const AskSqueue& squeue);

// slurm_time_limit() from this process's environment and the real squeue.
util::Result<std::optional<std::chrono::system_clock::time_point>> slurm_time_limit();

}  // namespace spotfarm::worker
