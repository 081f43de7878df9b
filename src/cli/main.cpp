// spotfarm: the thin main. Every subcommand is in its own file; this only wires them up and turns
// exceptions that escape a command into a message and an exit code.

#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/common/commands.h"
#include "util/large_buffers.h"

int main(int argc, char** argv) {
    spotfarm::util::keep_large_buffers();
    CLI::App app{
        "spotfarm: a render farm for Blender.\n"
        "Renders .blend animations on this machine, on office PCs, on Slurm or on AWS EC2 Spot,\n"
        "checking that every frame really came out and resuming where it stopped."};
    app.set_version_flag("--version", std::string("spotfarm ") + SPOTFARM_VERSION);
    app.require_subcommand(1);
    app.fallthrough();

    int exit_code = spotfarm::cli::k_exit_ok;
    spotfarm::cli::add_exec_command(app, exit_code);
    spotfarm::cli::add_blender_info_command(app, exit_code);
    spotfarm::cli::add_deps_command(app, exit_code);
    spotfarm::cli::add_estimate_command(app, exit_code);
    spotfarm::cli::add_manager_command(app, exit_code);
    spotfarm::cli::add_worker_command(app, exit_code);
    spotfarm::cli::add_submit_command(app, exit_code);
    spotfarm::cli::add_jobs_command(app, exit_code);
    spotfarm::cli::add_workers_command(app, exit_code);
    spotfarm::cli::add_render_command(app, exit_code);
    spotfarm::cli::add_sync_command(app, exit_code);
    spotfarm::cli::add_preview_command(app, exit_code);
    spotfarm::cli::add_cloud_command(app, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : spotfarm::cli::k_exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "spotfarm: " << e.what() << "\n";
        return spotfarm::cli::k_exit_failure;
    }
    return exit_code;
}
