// `spotfarm exec`: renders frames of a .blend on this machine in one persistent Blender session,
// checks every frame, and resumes where an earlier run stopped.

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/blender_install.h"
#include "blender/frame_run.h"
#include "cli/common/commands.h"
#include "cli/common/render_flags.h"
#include "cli/exec/exec_progress.h"
#include "util/folder_check.h"
#include "util/stop_signals.h"
#include "worker/blender_renderer.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

struct ExecArgs {
    RenderFlags render;
    bool overwrite = false;
    bool process_per_chunk = false;
    bool persistent_data = false;
    bool json = false;
    int chunk = 10;
    int restart_every = 0;
    double max_memory_mb = 0;
    double load_timeout = 600;
};

constexpr const char* k_exec_footer = R"(
Frames (--frames): 1-250, 1,5,10-20, 1-100x5 (every 5th frame), Blender's 1..10.
  Without --frames, the scene's own frame range.
Output (-o): Blender's pattern: the last run of '#' becomes the zero-padded frame number and the
  format's extension is added; a folder ending in '/' means folder/####; '//' is the .blend's
  folder. Each frame is written under a hidden temporary name, read back in full, and renamed
  into place only when complete; a run that is stopped leaves no partial file.
Resuming: frames whose valid file exists are skipped (--overwrite renders them again).
Devices (--device): cpu; gpu (fails when there is none); auto (GPU if any, else CPU, and says
  so); or a backend: OPTIX, CUDA, HIP, ONEAPI, METAL. The device used is reported.
Failures: a frame fails when Blender reports an error, crashes, stalls (--stall-timeout), runs
  over --frame-timeout, or writes a missing, damaged or wrongly sized file; the session carries
  on with a fresh Blender where needed and the summary names each failure.
Exit codes: 0 every frame on disk and valid; 1 frames failed; 2 bad input (frames, options,
  scene, output folder); 3 Blender not found; 130 interrupted (Ctrl-C).

Examples:
  spotfarm exec shot.blend --frames 1-250 -o renders/shot_####
  spotfarm exec shot.blend --frames 1-100x5 -o previews/ --percentage 25 --samples 16
  spotfarm exec shot.blend -o //frames/ --format OPEN_EXR --device gpu
  spotfarm exec shot.blend --frames 1,5,10-20 -o out/ --json > report.json
)";

std::chrono::milliseconds to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

// Turns the arguments into run options; every problem is bad input (exit code 2 or 3).
util::Result<blender::FrameRunOptions> build_options(const ExecArgs& a) {
    std::error_code ec;
    auto frames = job_frames(a.render);
    if (!frames) return frames.error();
    auto settings = job_settings(a.render, fs::current_path(ec));
    if (!settings) return settings.error();
    blender::FrameRunOptions o;
    o.frames = *frames;
    o.output_pattern = settings->output.value_or("");
    if (auto st =
            util::ensure_writable_folder(fs::path(o.output_pattern).parent_path(), "output folder");
        !st) {
        return st.error();
    }
    auto found = blender::find_blender(blender::blender_search_from_env(a.render.blender));
    if (!found) return found.error();
    // The very settings a farm worker would render this job with.
    o.session = worker::session_options({*found, a.restart_every, a.max_memory_mb}, *settings);
    o.session.render.persistent_data = a.persistent_data;
    o.session.load_limit = to_ms(a.load_timeout);
    o.overwrite = a.overwrite;
    o.process_per_chunk = a.process_per_chunk;
    o.chunk = static_cast<std::size_t>(a.chunk);
    return o;
}

int run_exec(const ExecArgs& args) {
    auto options = build_options(args);
    if (!options) {
        std::cerr << "spotfarm exec: " << options.error().message << "\n";
        return exit_code(options.error().kind);
    }
    util::StopSignals stop_signals;
    ExecProgress display(stderr, ::isatty(STDERR_FILENO) != 0, util::steady_clock());

    blender::FrameRunObserver observer;
    observer.on_plan = [&](const blender::SessionInfo& info, std::size_t total, std::size_t skipped,
                           const std::vector<int>& to_render) {
        std::string what = fmt::format(
            "rendering {} of {} frames of {} (scene {}, Blender {}, {} on {}, {}x{} {})",
            total - skipped, total, options->session.launch.scene_file.filename().string(),
            info.scene, info.blender_version, info.engine, info.device_used, info.resolution.width,
            info.resolution.height, info.format);
        if (skipped) what += fmt::format("; {} already done", skipped);
        display.plan(what, to_render);
    };
    observer.on_frame_start = [&](int frame) { display.frame_started(frame); };
    observer.on_progress = [&](int frame, const blender::ProgressEvent& e) {
        display.progress(frame, e);
    };
    observer.on_frame_done = [&](const blender::FrameRecord& r) { display.frame_done(r); };
    observer.on_notice = [&](const std::string& text) { display.notice(text); };
    observer.should_stop = [&] { return stop_signals.raised(); };

    auto result = blender::run_frames(*options, observer);
    display.finish();
    int exit_code = result.exit_code;
    if (stop_signals.raised()) exit_code = stop_signals.exit_code();
    if (!result.fatal_error.empty()) std::cerr << "spotfarm exec: " << result.fatal_error << "\n";
    if (args.json) {
        std::cout << blender::report_json(result.header, result.frames, exit_code).dump(2) << "\n";
    } else if (!result.frames.empty() || result.fatal_error.empty()) {
        std::cout << blender::format_report(result.header, result.frames);
    }
    return exit_code;
}

}  // namespace

void add_exec_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ExecArgs>();
    CLI::App* cmd = app.add_subcommand(
        "exec",
        "Render frames of a .blend on this machine in one persistent Blender session.\n"
        "Each frame is checked (complete, decodable, the right size) before it counts;\n"
        "frames already rendered are skipped when run again.");
    cmd->footer(k_exec_footer);
    // A run here, not a job: no --chunk of tasks (see --process-per-chunk), --priority or --name.
    add_render_flags(*cmd, args->render,
                     {.frames = Need::optional, .chunk = false, .priority = false, .name = false});
    cmd->add_flag("--overwrite", args->overwrite, "Render frames whose output already exists");
    cmd->add_flag("--process-per-chunk", args->process_per_chunk,
                  "A fresh Blender for each chunk of frames instead of one session");
    cmd->add_option("--chunk", args->chunk, "Frames per chunk with --process-per-chunk")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--restart-every", args->restart_every,
                    "Start a fresh Blender after this many frames (0: never)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--max-memory", args->max_memory_mb,
                    "Start a fresh Blender once its peak memory passes this many MB (0: never)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--load-timeout", args->load_timeout,
                    "Seconds Blender may take to start and load the scene (0: no limit)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_flag("--persistent-data", args->persistent_data,
                  "Keep render data between frames (faster, more memory)");
    cmd->add_flag("--json", args->json, "Print the summary as JSON");
    cmd->callback([args, &exit_code] { exit_code = run_exec(*args); });
}

}  // namespace spotfarm::cli
