// `spotfarm submit`: sends a render job to a manager, after checking it on this machine.

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/jobs/submit.h"

#include "blender/blender_install.h"
#include "blender/dependency_list.h"
#include "cli/client/api_command.h"
#include "cli/client/client_config.h"
#include "cli/common/commands.h"
#include "cli/common/json_access.h"
#include "cli/common/render_flags.h"
#include "cli/common/scene_video.h"
#include "cli/common/table.h"
#include "cli/transfer/sync_run.h"
#include "cli/transfer/transfer_progress.h"
#include "cli/transfer/transfer_submit.h"
#include "protocol/job_submission.h"
#include "protocol/video_output_json.h"
#include "util/http_client.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_submit_footer = R"(
Frames (--frames): 1-250, 1,5,10-20, 1-100x5 (every 5th frame), Blender's 1..10.
Output (-o): Blender's pattern: the last run of '#' becomes the zero-padded frame number and the
  format's extension is added; a folder ending in '/' means folder/####; '//' is the .blend's
  folder.
Storage: when the manager sees the scene at the same path (shared storage such as NFS or EFS),
  scene and output are sent as absolute paths and frames are written there. Otherwise the job
  goes in transfer mode: Blender on this machine (--blender, else $SPOTFARM_BLENDER, else PATH)
  lists the files the scene needs, they are uploaded (only those the manager lacks; an upload
  cut short resumes on the next submit), and `spotfarm sync ID -o FOLDER` (or --follow) brings
  the frames back. --transfer and --shared force one way. Files Blender does not know about
  (a script's data, caches it reads by name) are added with --include, a file or a folder.
  Missing files stop the submit with their list unless --allow-missing.
Tasks (--chunk N): a worker takes N frames at a time (default 1). A worker keeps the scene
  loaded between frames of a job, so small chunks cost little and spread work evenly.
Priority (--priority 0-100, default 50): higher runs first; equal priorities run oldest first.
Unset render settings (engine, samples, resolution, ...) are as saved in the scene.
Scenes' Python scripts stay off unless --allow-scripts.

Exit codes: 0 submitted (with --follow: every frame of the completed job is in the output
  folder); 1 the manager refused the job (its message is printed), or with --follow a frame
  failed to download or the job failed; 2 bad input or missing files; 3 the manager could not
  be reached; 130 Ctrl-C while following (the job goes on).

Examples:
  spotfarm submit shot.blend --frames 1-250 -o /mnt/renders/shot010/frame_####
  spotfarm submit shot.blend --frames 1-100x5 -o //previews/ --percentage 25 --samples 16
  spotfarm submit shot.blend --frames 1-250 -o /mnt/renders/ --device gpu --chunk 5 --priority 80
  spotfarm submit shot.blend --frames 1-10 -o out/ --json | jq .id
  spotfarm submit shot.blend --frames 1-250 -o renders/frame_#### --transfer --follow
  spotfarm submit shot.blend --frames 1-250 -o /mnt/renders/ --shared
  spotfarm submit shot.blend --frames 1-250 -o renders/ --include sim_cache/ --include lut.cube
  spotfarm submit shot.blend --frames 1-250 -o renders/ --allow-missing
)";

std::string next_steps(const nlohmann::json& answer, const protocol::JobSubmission& job,
                       const std::string& manager_url,
                       const std::optional<PreparedTransfer>& transfer) {
    std::string id = id_text(field(answer, "id"));
    std::string name = text_field(answer, "name");
    const std::string output = transfer ? (transfer->local_output / *job.settings.output).string()
                                        : job.settings.output.value_or("");
    std::string out =
        fmt::format("Submitted job {}{}: frames {} of {} -> {}\nNext:\n", id,
                    name.empty() ? "" : " (" + name + ")", job.frames.to_string(),
                    transfer ? "the uploaded " + job.settings.scene : job.settings.scene, output);
    Table steps({{""}, {""}});
    steps.add_row({"spotfarm job " + id, "progress, frames by status, failures with their logs"});
    if (transfer) {
        steps.add_row({"spotfarm sync " + id + " -o " + transfer->local_output.string(),
                       "download the finished frames (--follow: until the job ends)"});
    }
    steps.add_row({"spotfarm jobs", "every job on the manager"});
    steps.add_row({"spotfarm workers", "the machines rendering; with none, start one with"});
    steps.add_row({"", "spotfarm worker --manager " + manager_url +
                           " --token \"$(cat STATE/worker-join.token)\""});
    steps.add_row({"spotfarm cancel " + id, "stop it (pause, resume and requeue work alike)"});
    std::string table = steps.render("  ");
    return out + table.substr(table.find('\n') + 1);  // without the blank header line
}

// blender::list_dependencies with the Blender of this machine.
DependencyLister blender_lister(const SubmitOptions& options) {
    return [&options](const fs::path& scene) -> util::Result<std::vector<blender::Dependency>> {
        auto found =
            blender::find_blender(blender::blender_search_from_env(options.render.blender));
        if (!found) {
            return util::make_error(
                "transfer mode lists the scene's files with Blender on this "
                "machine: " +
                    found.error().message,
                found.error().kind);
        }
        blender::SessionOptions session;
        session.launch.blender = *found;
        session.launch.scene_file = scene;
        session.launch.allow_scripts = options.render.allow_scripts;
        return blender::list_dependencies(session);
    };
}

// Uploads the job's files when it goes in transfer mode, then posts it. The job's id.
util::Result<std::int64_t> submit(ApiClient& api, const SubmitOptions& options,
                                  protocol::JobSubmission& job, const core::JobMedia& media,
                                  std::optional<PreparedTransfer>& transfer) {
    auto mode = choose_storage_mode(api, options.transfer, options.shared, job.settings.scene);
    if (!mode) return mode.error();
    if (*mode == StorageMode::transfer) {
        if (!options.json) {
            std::cerr << (options.transfer
                              ? "Transfer mode (--transfer)"
                              : "Transfer mode: the manager does not see " + job.settings.scene)
                      << "; listing and sending the scene's files.\n";
        }
        TransferSubmitOptions t;
        std::error_code ec;
        for (const auto& include : options.includes)
            t.includes.push_back(fs::absolute(include, ec));
        t.allow_missing = options.allow_missing;
        TransferProgress bar(stderr, !options.json && ::isatty(STDERR_FILENO) == 1);
        t.progress = [&bar](const UploadProgress& p) { bar.update(p); };
        auto prepared = prepare_transfer(api, job, blender_lister(options), t);
        bar.finish();
        if (!prepared) return prepared.error();
        transfer = std::move(prepared).value();
        if (!options.json) {
            std::cerr << "Uploaded " << transfer->files
                      << " files: " << upload_summary(transfer->upload) << "\n";
            for (const auto& d : transfer->missing) {
                std::cerr << "  left out (missing, --allow-missing): " << d.path.string() << "\n";
            }
        }
    } else if (!options.includes.empty()) {
        return util::make_error(
            "--include sends files in transfer mode; with shared storage the "
            "workers read them where they are: leave it out, or add --transfer",
            util::ErrorKind::invalid);
    }
    nlohmann::json body = protocol::to_json(job);
    body.update(protocol::to_json(media));
    auto answer = api.post("/jobs", body);
    if (!answer) return answer.error();
    if (!field(*answer, "id").is_number_integer()) {
        return util::make_error("the manager accepted the job but its answer has no job id: " +
                                answer->dump());
    }
    if (options.json) {
        nlohmann::json out = *answer;
        if (transfer) {
            out["transfer"] = {{"tree", transfer->upload.tree_hash},
                               {"files", transfer->files},
                               {"bytes_sent", transfer->upload.bytes_sent},
                               {"bytes_skipped", transfer->upload.bytes_skipped},
                               {"seconds", transfer->upload.seconds},
                               {"local_output", transfer->local_output.string()}};
        }
        print_json(std::cout, out);
    } else {
        std::cout << next_steps(*answer, job, api.config().manager_url, transfer);
    }
    return field(*answer, "id").get<std::int64_t>();
}

}  // namespace

int run_submit(const SubmitOptions& options) {
    auto fail = [](const util::Error& error) {
        std::cerr << "spotfarm submit: " << error.message << "\n";
        return exit_code(error.kind);
    };
    std::error_code ec;
    auto job = job_submission(options.render, fs::current_path(ec));
    if (!job) return fail(job.error());
    auto media = check_scene_video(options.render, job->settings, std::cerr);
    if (!media) return fail(media.error());
    const fs::path local_output = fs::path(job->settings.output.value_or("")).parent_path();
    if (options.transfer && options.shared) {
        return fail(util::make_error("--transfer and --shared exclude each other; give one",
                                     util::ErrorKind::invalid));
    }
    auto config = resolve_client_config(options.client, process_environment());
    if (!config) return fail(config.error());
    util::CurlHttpClient http(util::TlsTrust{config->manager_pin});
    ApiClient api(http, std::move(config).value());
    std::optional<PreparedTransfer> transfer;
    auto id = submit(api, options, *job, *media, transfer);
    if (!id) return fail(id.error());
    if (!options.follow) return k_exit_ok;
    if (!transfer) {
        std::cerr << "spotfarm submit: --follow: the job uses shared storage, so its frames are "
                     "written straight into "
                  << local_output.string() << "; `spotfarm job " << *id
                  << "` shows its progress.\n";
        return k_exit_ok;
    }
    return run_sync(api, {.job = *id, .dir = transfer->local_output, .follow = true}, std::cout,
                    std::cerr);
}

void add_submit_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<SubmitOptions>();
    auto* cmd = app.add_subcommand("submit",
                                   "Send a render job to a manager; its workers render the frames");
    cmd->footer(std::string(k_submit_footer) + k_client_config_help);
    // --blender is the Blender that lists a transfer job's files here; workers find their own.
    add_render_flags(*cmd, options->render);
    cmd->add_flag("--json", options->json, "Print the manager's answer as JSON, for scripts");
    auto* storage = "Storage (shared or transfer)";
    cmd->add_flag("--transfer", options->transfer,
                  "Upload the scene and its files to the manager (no shared storage)")
        ->group(storage);
    cmd->add_flag("--shared", options->shared,
                  "Send paths only: every worker sees the scene and output where they are")
        ->group(storage);
    cmd->add_flag("--allow-missing", options->allow_missing,
                  "Transfer mode: submit even when files the scene needs are missing")
        ->group(storage);
    cmd->add_option("--include", options->includes,
                    "Transfer mode: also send this file or folder (repeatable)")
        ->group(storage);
    cmd->add_flag("--follow", options->follow,
                  "Stay until the job ends, downloading its frames into -o's folder as they "
                  "finish (Ctrl-C stops following; the job goes on)")
        ->group(storage);
    add_client_options(*cmd, options->client);
    cmd->callback([options, &exit_code] { exit_code = run_submit(*options); });
}

}  // namespace spotfarm::cli
