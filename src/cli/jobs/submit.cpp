// `spotfarm submit`: sends a render job to a manager, after checking it on this machine.

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/client/api_command.h"
#include "cli/common/commands.h"
#include "cli/common/json_access.h"
#include "cli/common/render_flags.h"
#include "cli/common/table.h"
#include "protocol/job_submission.h"

namespace spotfarm::cli {
namespace {

struct SubmitOptions {
    RenderFlags render;
    ClientFlags client;
    bool json = false;
};

constexpr const char* k_footer = R"(
Frames (--frames): 1-250, 1,5,10-20, 1-100x5 (every 5th frame), Blender's 1..10.
Output (-o): Blender's pattern: the last run of '#' becomes the zero-padded frame number and the
  format's extension is added; a folder ending in '/' means folder/####; '//' is the .blend's
  folder. Scene and output are sent as absolute paths: every worker must see them at the same
  place (shared storage such as NFS or EFS).
Tasks (--chunk N): a worker takes N frames at a time (default 1). A worker keeps the scene
  loaded between frames of a job, so small chunks cost little and spread work evenly.
Priority (--priority 0-100, default 50): higher runs first; equal priorities run oldest first.
Unset render settings (engine, samples, resolution, ...) are as saved in the scene.
Scenes' Python scripts stay off unless --allow-scripts.

Exit codes: 0 submitted; 1 the manager refused the job (its message is printed); 2 bad input;
  3 the manager could not be reached.

Examples:
  spotfarm submit shot.blend --frames 1-250 -o /mnt/renders/shot010/frame_####
  spotfarm submit shot.blend --frames 1-100x5 -o //previews/ --percentage 25 --samples 16
  spotfarm submit shot.blend --frames 1-250 -o /mnt/renders/ --device gpu --chunk 5 --priority 80
  spotfarm submit shot.blend --frames 1-10 -o out/ --json | jq .id
)";

std::string next_steps(const nlohmann::json& answer, const protocol::JobSubmission& job,
                       const std::string& manager_url) {
    std::string id = id_text(field(answer, "id"));
    std::string name = text_field(answer, "name");
    std::string out = fmt::format("Submitted job {}{}: frames {} of {} -> {}\nNext:\n", id,
                                  name.empty() ? "" : " (" + name + ")", job.frames.to_string(),
                                  job.settings.scene, job.settings.output.value_or(""));
    Table steps({{""}, {""}});
    steps.add_row({"spotfarm job " + id, "progress, frames by status, failures with their logs"});
    steps.add_row({"spotfarm jobs", "every job on the manager"});
    steps.add_row({"spotfarm workers", "the machines rendering; with none, start one with"});
    steps.add_row({"", "spotfarm worker --manager " + manager_url +
                           " --token \"$(cat STATE/worker-join.token)\""});
    steps.add_row({"spotfarm cancel " + id, "stop it (pause, resume and requeue work alike)"});
    std::string table = steps.render("  ");
    return out + table.substr(table.find('\n') + 1);  // without the blank header line
}

int run_submit(const SubmitOptions& options) {
    std::error_code ec;
    auto job = job_submission(options.render, std::filesystem::current_path(ec));
    if (!job) {
        std::cerr << "spotfarm submit: " << job.error().message << "\n";
        return exit_code(job.error().kind);
    }
    return run_api_command("submit", options.client, [&](ApiClient& api) -> util::Status {
        auto answer = api.post("/jobs", protocol::to_json(*job));
        if (!answer) return answer.error();
        if (!field(*answer, "id").is_number_integer()) {
            return util::make_error("the manager accepted the job but its answer has no job id: " +
                                    answer->dump());
        }
        if (options.json) {
            print_json(std::cout, *answer);
        } else {
            std::cout << next_steps(*answer, *job, api.config().manager_url);
        }
        return {};
    });
}

}  // namespace

void add_submit_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SubmitOptions>();
    auto* cmd = app.add_subcommand("submit",
                                   "Send a render job to a manager; its workers render the frames");
    cmd->footer(std::string(k_footer) + k_client_config_help);
    // Every flag but --blender: the workers find their own Blender.
    add_render_flags(*cmd, options->render, {.blender = false});
    cmd->add_flag("--json", options->json, "Print the manager's answer as JSON, for scripts");
    add_client_options(*cmd, options->client);
    cmd->callback([options, &exit_code] { exit_code = run_submit(*options); });
}

}  // namespace spotfarm::cli
