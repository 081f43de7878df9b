// `spotfarm preview JOB [-o DIR] [--make]`: a job's preview video and contact sheet, made by its
// manager (docs/media.md), brought into a folder here.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/client/api_command.h"
#include "cli/common/commands.h"
#include "cli/common/table.h"
#include "cli/jobs/jobs_commands.h"
#include "cli/preview/job_media_client.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_footer = R"(
The manager makes a job's preview when the job completes (unless it was submitted with
--preview off, or is a single frame): an H.264 MP4 and a VP9 WebM at the scene's frame rate, and
a contact sheet PNG of up to 36 frames. Missing frames are held (the frame before shows in
their place). EXR frames are shown through the sRGB curve. This command asks the manager to make
the preview when there is none (or with --make, again, e.g. after requeued frames finished),
waits while it is made, and downloads the three files into -o's folder as
job-ID-preview.mp4, job-ID-preview.webm and job-ID-contact-sheet.png.

Exit codes: 0 the files are here; 1 no such job, or the preview could not be made (the manager
  says why); 2 bad input; 3 the manager could not be reached; 130 Ctrl-C.

Examples:
  spotfarm preview 7
  spotfarm preview 7 -o ~/dailies --make
  spotfarm preview 7 --json | jq -r '.files[]'
)";

struct PreviewOptions {
    ClientFlags client;
    std::int64_t id = 0;
    std::string dir = ".";
    bool make = false;
    bool json = false;
};

util::Status run_preview(ApiClient& api, const PreviewOptions& o) {
    const std::string job = std::to_string(o.id);
    auto now = job_media(api, o.id);
    if (!now) return now.error();
    if (o.make || now->state == "none" || now->state == "failed") {
        if (auto asked = api.post("/jobs/" + job + "/preview"); !asked) return asked.error();
    }
    const bool line = !o.json && ::isatty(STDERR_FILENO) == 1;
    auto media = wait_for_job_media(
        api, o.id,
        [&](const JobMedia& m, double seconds) {
            if (line && (m.busy || m.state == "making")) {
                std::cerr << fmt::format("\rMaking the preview of job {}: {:.0f} s", job, seconds)
                          << std::flush;
            }
        },
        std::chrono::milliseconds(250));
    if (line) std::cerr << "\r\033[K" << std::flush;
    if (!media) return media.error();
    if (media->state != "ready") {
        return util::make_error("job " + job + " has no preview: " +
                                (media->error.empty() ? "the manager made none" : media->error));
    }
    json out = {{"job_id", o.id}, {"files", json::array()}, {"note", media->note}};
    Table table({{"file"}, {"bytes", Align::right}});
    for (const auto& name : media->files) {
        const fs::path dest = fs::path(o.dir) / ("job-" + job + "-" + name);
        auto got = download_job_file(api, "/jobs/" + job + "/" + name, dest);
        if (!got) return got.error();
        out["files"].push_back(dest.string());
        table.add_row({dest.string(), std::to_string(*got)});
    }
    if (o.json) {
        print_json(std::cout, out);
        return {};
    }
    std::cout << table.render();
    if (!media->note.empty()) std::cout << "note: " << media->note << "\n";
    return {};
}

}  // namespace

void add_preview_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<PreviewOptions>();
    auto* cmd = app.add_subcommand(
        "preview", "Make or fetch a job's preview video (MP4, WebM) and contact sheet");
    cmd->footer(std::string(k_footer) + k_client_config_help);
    add_job_id_argument(*cmd, options->id);
    cmd->add_option("-o,--output", options->dir, "Folder to download into (default: here)")
        ->type_name("DIR");
    cmd->add_flag("--make", options->make, "Make the preview again, from the frames there are now");
    cmd->add_flag("--json", options->json, "Print the downloaded files as JSON, for scripts");
    add_client_options(*cmd, options->client);
    cmd->callback([options, &exit_code] {
        exit_code = run_api_command("preview", options->client,
                                    [&](ApiClient& api) { return run_preview(api, *options); });
    });
}

}  // namespace spotfarm::cli
