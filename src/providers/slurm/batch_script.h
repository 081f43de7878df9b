#pragma once
// The batch script of one scale-up: a job array of `count` workers, each `exec`ing the worker
// so that Slurm's SIGTERM at the time limit (or a scancel) reaches it and it drains.

#include <string>

#include "providers/command_runner.h"
#include "providers/slurm/slurm_options.h"
#include "util/result.h"

namespace spotfarm::providers::slurm {

// The script text. Fails when an extra line is not a batch option.
util::Result<std::string> batch_script(const SlurmOptions& options, int count);

}  // namespace spotfarm::providers::slurm
