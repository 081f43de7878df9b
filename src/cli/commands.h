#pragma once
// Each subcommand lives in its own file in src/cli/ and registers itself on the app here.
// A command's callback sets the process exit code through the returned int reference.

#include <CLI/CLI.hpp>

namespace spotfarm::cli {

// Exit codes shared by every command.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;      // the work failed (a frame did not render, ...)
inline constexpr int k_exit_usage = 2;        // bad arguments or input
inline constexpr int k_exit_unavailable = 3;  // a needed program or service is missing/unreachable
inline constexpr int k_exit_interrupted = 130;

void add_exec_command(CLI::App& app, int& exit_code);  // exec
void add_blender_info_command(CLI::App& app, int& exit_code);  // blender-info
void add_estimate_command(CLI::App& app, int& exit_code);  // estimate
void add_manager_command(CLI::App& app, int& exit_code);  // manager
void add_worker_command(CLI::App& app, int& exit_code);  // worker
void add_submit_command(CLI::App& app, int& exit_code);  // submit
void add_jobs_command(CLI::App& app, int& exit_code);  // jobs, job, cancel, pause, resume, requeue, delete
void add_workers_command(CLI::App& app, int& exit_code);  // workers
void add_render_command(CLI::App& app, int& exit_code);  // render
void add_cloud_command(CLI::App& app, int& exit_code);  // cloud up|status|down|user-data

}  // namespace spotfarm::cli
