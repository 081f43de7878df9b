#pragma once
// Reading Slurm's answers: squeue's lines for the fleet's array tasks and sacct's for the ones
// that left the queue. Pure functions; the provider runs the programs.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "providers/provider.h"

namespace spotfarm::providers::slurm {

// The squeue format the provider asks for: one array task a line (with -r), '|'-separated.
inline constexpr std::string_view k_squeue_format = "%i|%T|%N|%P|%S|%r";

// One line a task: "ID|STATE|NODE|PARTITION|START|REASON". Lines that do not parse are skipped.
// kind is "slurm", zone the partition, address the node, reason Slurm's state and why it waits.
// detail is the same text, for the fleet view.
std::vector<WorkerInstance> parse_squeue(std::string_view output);

// Slurm's job state ("PENDING", "RUNNING", "COMPLETING", "CANCELLED"...) as a worker's state.
WorkerState state_of(std::string_view slurm_state);

// `sacct -n -P -X -o JobID,State,ExitCode` lines: array task id -> "COMPLETED 0:0",
// "TIMEOUT 0:0", "CANCELLED by 0 0:15"...
std::map<std::string, std::string> parse_sacct(std::string_view output);

}  // namespace spotfarm::providers::slurm
