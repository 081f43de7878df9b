#pragma once
// Each subcommand lives in its own file in src/cli/ and registers itself on the app here.
// A command's callback sets the process exit code through the returned int reference.

#include <CLI/CLI.hpp>

#include "util/exit_code.h"

namespace spotfarm::cli {

// Exit codes shared by every command (util/exit_code.h).
using util::exit_code;
using util::k_exit_failure;
using util::k_exit_interrupted;
using util::k_exit_ok;
using util::k_exit_unavailable;
using util::k_exit_usage;

void add_exec_command(CLI::App& app, int& exit_code);          // exec
void add_blender_info_command(CLI::App& app, int& exit_code);  // blender-info
void add_deps_command(CLI::App& app, int& exit_code);          // deps
void add_estimate_command(CLI::App& app, int& exit_code);      // estimate
void add_manager_command(CLI::App& app, int& exit_code);       // manager
void add_worker_command(CLI::App& app, int& exit_code);        // worker
void add_submit_command(CLI::App& app, int& exit_code);        // submit
void add_jobs_command(CLI::App& app,
                      int& exit_code);  // jobs, job, cancel, pause, resume, requeue, delete
void add_workers_command(CLI::App& app, int& exit_code);  // workers
void add_render_command(CLI::App& app, int& exit_code);   // render
void add_sync_command(CLI::App& app, int& exit_code);     // sync
void add_preview_command(CLI::App& app, int& exit_code);  // preview
void add_cloud_command(CLI::App& app, int& exit_code);    // cloud up|status|down|user-data

}  // namespace spotfarm::cli
