// `spotfarm sync JOB -o DIR`: brings a transfer job's frames from the manager into a folder.

#include <iostream>
#include <memory>

#include "cli/client/api_client.h"
#include "cli/client/client_config.h"
#include "cli/common/commands.h"
#include "cli/transfer/sync_run.h"

namespace spotfarm::cli {

namespace {

struct SyncFlags {
    std::int64_t job = 0;
    std::string dir;
    int jobs = 4;
    bool follow = false;
    bool json = false;
    ClientFlags client;
};

constexpr const char* k_sync_command_footer = R"(
Downloads the frames of a job submitted in transfer mode (no shared storage) that DIR lacks or
holds with other bytes: ranged, resumable (NAME.part) and checked against their SHA-256. Frames
already in DIR are left alone, so running it again only fetches what is new.
--follow keeps going as frames finish until the job ends; Ctrl-C stops following (the job goes on).

Exit codes: 0 every frame is in DIR (with --follow: every frame of the completed job); 1 a
  download failed (running the command again resumes it) or the job failed; 2 bad input;
  3 the manager could not be reached.

Examples:
  spotfarm sync 12 -o renders/shot010/
  spotfarm sync 12 -o renders/shot010/ --follow --jobs 8
  spotfarm sync 12 -o renders/shot010/ --json | jq .downloaded
)";

}  // namespace

void add_sync_command(CLI::App& app, int& exit_code) {
    auto flags = std::make_shared<SyncFlags>();
    auto* cmd = app.add_subcommand("sync", "Download a transfer job's frames into a folder");
    cmd->footer(std::string(k_sync_command_footer) + k_client_config_help);
    cmd->add_option("job", flags->job, "The job's id")->required();
    cmd->add_option("-o,--output", flags->dir, "The folder the frames go into")->required();
    cmd->add_flag("--follow", flags->follow,
                  "Keep downloading as frames finish, until the job ends");
    cmd->add_option("--jobs,-j", flags->jobs, "Downloads at once")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    cmd->add_flag("--json", flags->json, "Print a JSON summary, for scripts");
    add_client_options(*cmd, flags->client);
    cmd->callback([flags, &exit_code] {
        auto config = resolve_client_config(flags->client, process_environment());
        if (!config) {
            std::cerr << "spotfarm sync: " << config.error().message << "\n";
            exit_code = cli::exit_code(config.error().kind);
            return;
        }
        util::CurlHttpClient http(util::TlsTrust{config->manager_pin});
        ApiClient api(http, std::move(config).value());
        exit_code = run_sync(api,
                             {.job = flags->job,
                              .dir = flags->dir,
                              .jobs = flags->jobs,
                              .follow = flags->follow,
                              .json = flags->json},
                             std::cout, std::cerr);
    });
}

}  // namespace spotfarm::cli
