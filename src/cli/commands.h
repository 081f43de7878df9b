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

void add_exec_command(CLI::App& app, int& exit_code);
void add_blender_info_command(CLI::App& app, int& exit_code);

}  // namespace spotfarm::cli
