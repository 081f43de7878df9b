// `spotfarm submit`: sends a render job to a manager, after checking it on this machine.

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/client/api_command.h"
#include "cli/common/commands.h"
#include "cli/common/json_access.h"
#include "cli/jobs/submit_request.h"
#include "cli/common/table.h"

namespace spotfarm::cli {
namespace {

struct SubmitOptions {
    SubmitArgs args;
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

std::string next_steps(const nlohmann::json& answer, const nlohmann::json& body,
                       const std::string& manager_url) {
    std::string id = id_text(field(answer, "id"));
    std::string name = text_field(answer, "name");
    std::string out =
        fmt::format("Submitted job {}{}: frames {} of {} -> {}\nNext:\n", id,
                    name.empty() ? "" : " (" + name + ")", body["frames"].get<std::string>(),
                    body["scene"].get<std::string>(), body["output"].get<std::string>());
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
    auto body = build_submit_body(options.args, std::filesystem::current_path(ec));
    if (!body) {
        std::cerr << "spotfarm submit: " << body.error().message << "\n";
        return exit_code(body.error().kind);
    }
    return run_api_command("submit", options.client, [&](ApiClient& api) -> util::Status {
        auto answer = api.post("/jobs", *body);
        if (!answer) return answer.error();
        if (!field(*answer, "id").is_number_integer()) {
            return util::make_error("the manager accepted the job but its answer has no job id: " +
                                    answer->dump());
        }
        if (options.json) {
            print_json(std::cout, *answer);
        } else {
            std::cout << next_steps(*answer, *body, api.config().manager_url);
        }
        return {};
    });
}

}  // namespace

void add_submit_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SubmitOptions>();
    auto& a = options->args;
    auto* cmd = app.add_subcommand("submit",
                                   "Send a render job to a manager; its workers render the frames");
    cmd->footer(std::string(k_footer) + k_client_config_help);
    cmd->add_option("scene", a.scene, "The .blend file to render")->required()->type_name("SCENE");
    cmd->add_option("--frames,-f", a.frames, "Frames to render, e.g. 1-250 or 1,5,10-20")
        ->required()
        ->type_name("SPEC");
    cmd->add_option("-o,--output", a.output, "Output pattern, e.g. /mnt/renders/shot_####")
        ->required()
        ->type_name("PATTERN");
    cmd->add_option("--chunk", a.chunk, "Frames per task (default 1)")->type_name("N");
    cmd->add_option("--priority", a.priority, "0 to 100, higher first (default 50)")
        ->type_name("P");
    cmd->add_option("--name", a.name, "The job's name (default: the scene's file name)")
        ->type_name("NAME");
    auto* render = cmd->add_option_group("Render settings (default: as saved in the scene)");
    render->add_option("--device", a.device, "cpu, gpu, auto, or OPTIX, CUDA, HIP, ONEAPI, METAL")
        ->type_name("DEVICE");
    render->add_option("--engine", a.engine, "cycles, eevee or workbench")->type_name("ENGINE");
    render->add_option("--format", a.format, "PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER or TIFF")
        ->type_name("FORMAT");
    render->add_option("--samples", a.samples, "Render samples per pixel")->type_name("N");
    render->add_option("--resolution", a.resolution, "Image size, e.g. 1920x1080")
        ->type_name("WxH");
    render->add_option("--percentage", a.percentage, "Resolution scale in percent")
        ->type_name("PCT");
    render->add_option("--threads", a.threads, "Render threads per worker (0: all cores)")
        ->type_name("N");
    render
        ->add_option("--frame-timeout", a.frame_timeout_s,
                     "Fail a frame that renders longer than this")
        ->type_name("SECONDS");
    render
        ->add_option("--stall-timeout", a.stall_timeout_s,
                     "Fail a frame when Blender prints nothing for this long")
        ->type_name("SECONDS");
    render->add_flag("--allow-scripts", a.allow_scripts,
                     "Run Python scripts saved in the scene (only for trusted scenes)");
    render->add_flag("--strict", a.strict,
                     "Fail when the scene links to missing files (textures, libraries, ...)");
    cmd->add_flag("--json", options->json, "Print the manager's answer as JSON, for scripts");
    add_client_options(*cmd, options->client);
    cmd->callback([options, &exit_code] { exit_code = run_submit(*options); });
}

}  // namespace spotfarm::cli
