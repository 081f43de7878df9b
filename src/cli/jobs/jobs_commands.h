#pragma once
// The commands on one job, registered by add_jobs_command (commands.h) beside `jobs`.

#include <cstdint>

#include <CLI/CLI.hpp>

namespace spotfarm::cli {

void add_job_command(CLI::App& app, int& exit_code);  // job ID
void add_job_action_commands(CLI::App& app,
                             int& exit_code);  // cancel|pause|resume|requeue|delete ID

// The required positional ID of a job, a whole number from 1 up, with a message that says so.
void add_job_id_argument(CLI::App& command, std::int64_t& id);

}  // namespace spotfarm::cli
