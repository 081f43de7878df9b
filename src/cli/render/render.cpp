// `spotfarm render`: the main job. Renders an animation on every core of this machine through a
// real farm (a manager on loopback, N local workers), follows it with a progress bar and exits 0
// only when every frame is on disk and valid. The same command again resumes.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/output_pattern.h"
#include "blender/output_validator.h"
#include "blender/render_options.h"
#include "cli/common/commands.h"
#include "cli/common/json_access.h"
#include "cli/render/local_farm.h"
#include "cli/render/render_cloud.h"
#include "cli/render/render_progress.h"
#include "core/frame_set.h"
#include "util/folder_check.h"
#include "util/stop_signals.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

struct RenderArgs {
    std::string scene_file;
    std::string frames;
    std::string output;
    int workers = 0;
    int chunk = 1;
    int priority = 50;
    std::string format;
    std::string engine;
    std::string device = "auto";
    std::string scene;
    std::string resolution;
    int samples = 0;
    int percentage = 0;
    bool allow_scripts = false;
    bool strict = false;
    double frame_timeout = 0;
    double stall_timeout = 600;
    int lease_timeout = 30;
    std::string blender;
    std::string state_dir;
    bool json = false;
};

constexpr const char* k_footer = R"(
How it works: a manager starts on 127.0.0.1 with its state in OUTPUT_FOLDER/.spotfarm (SQLite
  and tokens), N `spotfarm worker` processes claim frames from it, each keeping one Blender with
  the scene loaded, and this command follows the job until every frame is on disk and valid.
  A worker that crashes is restarted and its frame goes back to the queue; nothing is lost.
Workers (--workers): default from the cores (2 on a 2-4 core machine, cores/4 above, at most
  16); CPU threads are shared out between them.
Resuming: run the same command again. The job is found in the state folder and only frames not
  yet on disk are rendered. Ctrl-C drains the workers and stops cleanly.
Frames, output, devices: as for `spotfarm exec` (see `spotfarm exec --help`).
Exit codes: 0 every frame on disk and valid; 1 frames failed; 2 bad input; 3 Blender or the
  manager could not start; 130 interrupted.

Examples:
  spotfarm render shot.blend --frames 1-250 -o renders/shot_####
  spotfarm render shot.blend --frames 1-250 -o renders/ --workers 4 --samples 64
  spotfarm render shot.blend --frames 1-100x5 -o previews/ --percentage 25 --json
)";

int default_workers(unsigned cores) {
    if (cores <= 1) return 1;
    if (cores <= 4) return 2;
    return std::clamp(static_cast<int>(cores / 4), 2, 16);
}

fs::path self_exe() {
    std::error_code ec;
    auto path = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("spotfarm") : path;
}

struct Plan {
    fs::path scene;
    core::FrameSet frames;
    std::string pattern;
    fs::path output_dir;
    json spec;
};

util::Result<Plan> make_plan(const RenderArgs& a, int workers) {
    Plan plan;
    std::error_code ec;
    plan.scene = fs::absolute(a.scene_file, ec);
    if (auto st = util::check_readable_file(plan.scene, "scene file"); !st) return st.error();
    auto frames = core::FrameSet::parse(a.frames);
    if (!frames) return util::make_error("bad --frames: " + frames.error().message, util::ErrorKind::invalid);
    plan.frames = *frames;
    auto pattern = blender::resolve_output_pattern(a.output, plan.scene, fs::current_path(ec));
    if (!pattern) return pattern.error();
    plan.pattern = *pattern;
    plan.output_dir = fs::path(plan.pattern).parent_path();
    if (auto st = util::ensure_writable_folder(plan.output_dir, "output folder"); !st) {
        return st.error();
    }
    if (a.chunk < 1) return util::make_error("--chunk must be 1 or more", util::ErrorKind::invalid);

    json spec = {{"name", plan.scene.stem().string()},
                 {"scene", plan.scene.string()},
                 {"output", plan.pattern},
                 {"frames", plan.frames.to_string()},
                 {"chunk", a.chunk},
                 {"priority", a.priority},
                 {"device", a.device},
                 {"allow_scripts", a.allow_scripts},
                 {"strict", a.strict},
                 {"stall_timeout_s", a.stall_timeout}};
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    spec["threads"] = std::max(1, static_cast<int>(cores) / std::max(1, workers));
    if (!a.format.empty()) {
        auto format = blender::normalize_format(a.format);
        if (!format) return format.error();
        spec["format"] = *format;
    }
    if (!a.engine.empty()) {
        auto engine = blender::normalize_engine(a.engine);
        if (!engine) return engine.error();
        spec["engine"] = *engine;
    }
    if (auto device = blender::normalize_device(a.device); !device) return device.error();
    if (!a.resolution.empty()) {
        auto res = blender::parse_resolution(a.resolution);
        if (!res) return res.error();
        spec["resolution_x"] = res->width;
        spec["resolution_y"] = res->height;
    }
    if (!a.scene.empty()) spec["scene_name"] = a.scene;
    if (a.samples > 0) spec["samples"] = a.samples;
    if (a.percentage > 0) spec["percentage"] = a.percentage;
    if (a.frame_timeout > 0) spec["frame_timeout_s"] = a.frame_timeout;
    plan.spec = spec;
    return plan;
}

std::string api_error(const util::Result<ApiAnswer>& answer) {
    if (!answer) return answer.error().message;
    if (answer->body.is_object() && answer->body.contains("error")) {
        return answer->body["error"].dump();
    }
    return "HTTP " + std::to_string(answer->status);
}

// The job of an earlier run with the same scene, frames and output, if the state holds one.
std::optional<std::int64_t> find_earlier_job(LocalFarm& farm, const Plan& plan) {
    auto jobs = farm.call("GET", "/jobs");
    if (!jobs || jobs->status != 200) return std::nullopt;
    const json& list = list_in(jobs->body, "jobs");
    if (!list.is_array()) return std::nullopt;
    for (const auto& job : list) {
        if (job.value("scene", "") == plan.scene.string() &&
            job.value("output", "") == plan.pattern &&
            job.value("frames", "") == plan.frames.to_string() &&
            job.value("status", "") != "canceled") {
            return job.value("id", std::int64_t{0});
        }
    }
    return std::nullopt;
}

// Frames whose file is not on disk and whole, checked after the farm says it is done.
std::vector<int> frames_missing_on_disk(const Plan& plan) {
    static const char* k_extensions[] = {".png", ".jpg", ".exr", ".tif", ".tiff", ".bmp", ".webp"};
    std::vector<int> missing;
    for (int frame : plan.frames.frames()) {
        bool ok = false;
        for (const char* ext : k_extensions) {
            fs::path path = blender::frame_path(plan.pattern, frame, ext);
            std::error_code ec;
            if (fs::exists(path, ec) && blender::validate_output(path)) {
                ok = true;
                break;
            }
        }
        if (!ok) missing.push_back(frame);
    }
    return missing;
}

// The last `count` non-empty lines of a log, each on a line of its own, indented.
std::string last_lines(const std::string& log, int count) {
    std::vector<std::string> lines;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
    }
    std::string text;
    for (std::size_t i = lines.size() > std::size_t(count) ? lines.size() - count : 0;
         i < lines.size(); ++i) {
        text += "\n    " + lines[i];
    }
    return text;
}

// The failed tasks' errors and the end of their log tails, for the summary.
std::vector<std::string> failure_reasons(LocalFarm& farm, std::int64_t job) {
    std::vector<std::string> reasons;
    auto tasks = farm.call("GET", "/jobs/" + std::to_string(job) + "/tasks?status=failed");
    if (!tasks || tasks->status != 200) return reasons;
    const json& list = list_in(tasks->body, "tasks");
    if (!list.is_array()) return reasons;
    for (const auto& task : list) {
        auto detail = farm.call("GET", "/tasks/" + std::to_string(task.value("id", 0)));
        std::string why = "no reason recorded";
        std::string log_end;
        if (detail && detail->status == 200 && detail->body.contains("attempt_list")) {
            for (const auto& attempt : detail->body["attempt_list"]) {
                if (attempt.value("error", "").empty()) continue;
                why = attempt.value("error", "");
                log_end = last_lines(attempt.value("log_tail", ""), 3);
            }
        }
        reasons.push_back("frames " + task.value("frames", "?") + ": " + why + log_end);
    }
    return reasons;
}

int run_render(const RenderArgs& a, const CloudRenderFlags& cloud) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int workers = a.workers > 0 ? a.workers : default_workers(cores);
    auto plan = make_plan(a, workers);
    if (!plan) {
        std::cerr << "spotfarm render: " << plan.error().message << "\n";
        return exit_code(plan.error().kind);
    }
    if (cloud.enabled()) {
        return run_render_cloud(cloud, {plan->spec, plan->frames, plan->pattern, plan->output_dir,
                                        a.state_dir, a.json,
                                        [&] { return frames_missing_on_disk(*plan); }});
    }

    LocalFarmOptions options;
    options.spotfarm_exe = self_exe();
    options.state_dir = a.state_dir.empty() ? plan->output_dir / ".spotfarm" : fs::path(a.state_dir);
    options.workers = workers;
    options.blender = a.blender;
    options.lease_timeout = std::chrono::seconds(a.lease_timeout);

    util::StopSignals stop;
    auto farm = LocalFarm::start(options);
    if (!farm) {
        std::cerr << "spotfarm render: " << farm.error().message << "\n";
        return k_exit_unavailable;
    }
    LocalFarm& f = **farm;

    std::int64_t job = 0;
    if (auto earlier = find_earlier_job(f, *plan)) {
        job = *earlier;
        // An earlier run that failed gets another chance at its failed frames.
        (void)f.call("POST", "/jobs/" + std::to_string(job) + "/requeue");
        (void)f.call("POST", "/jobs/" + std::to_string(job) + "/resume");
        if (!a.json) std::cerr << "Resuming job " << job << " from " << options.state_dir.string() << "\n";
    } else {
        auto submitted = f.call("POST", "/jobs", plan->spec);
        if (!submitted || submitted->status != 201) {
            std::cerr << "spotfarm render: the manager refused the job: " << api_error(submitted)
                      << "\n";
            return k_exit_usage;
        }
        job = submitted->body.value("id", std::int64_t{0});
    }

    if (auto started = f.start_workers(); !started) {
        std::cerr << "spotfarm render: " << started.error().message << "\n";
        return k_exit_unavailable;
    }
    if (!a.json) {
        std::cerr << fmt::format("Rendering {} frames of {} with {} workers; state in {}\n",
                                 plan->frames.size(), plan->scene.filename().string(), workers,
                                 options.state_dir.string());
    }

    RenderProgress progress(stderr, !a.json && ::isatty(STDERR_FILENO) != 0, plan->frames.size(),
                            farm_getter(f));
    const auto started_at = std::chrono::steady_clock::now();
    json last;
    std::string status;
    while (true) {
        f.pump_logs();
        if (stop.raised()) {
            progress.finish();
            std::cerr << "Stopping: workers hand back their frames. Run the same command again to "
                         "resume.\n";
            f.stop();
            return stop.exit_code();
        }
        f.revive_workers();
        auto answer = f.call("GET", "/jobs/" + std::to_string(job));
        if (answer && answer->status == 200) {
            last = answer->body;
            status = last.value("status", "");
            auto tasks = f.call("GET", "/jobs/" + std::to_string(job) + "/tasks?status=active");
            json active = tasks && tasks->status == 200 ? list_in(tasks->body, "tasks") : json::array();
            progress.update(last, active);
            if (status == "completed" || status == "failed" || status == "canceled") break;
        }
        std::this_thread::sleep_for(250ms);
    }
    progress.finish();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    auto reasons = status == "completed" ? std::vector<std::string>{} : failure_reasons(f, job);
    f.stop();

    auto missing = frames_missing_on_disk(*plan);
    const bool ok = status == "completed" && missing.empty();
    if (a.json) {
        json out = {{"job", job},
                    {"status", ok ? "completed" : (status == "completed" ? "incomplete" : status)},
                    {"frames", plan->frames.size()},
                    {"frames_missing", missing},
                    {"failures", reasons},
                    {"wall_seconds", wall},
                    {"workers", workers},
                    {"output", plan->pattern}};
        std::cout << out.dump(2) << "\n";
    } else {
        std::cout << fmt::format("{:<18}{}\n", "job", job);
        std::cout << fmt::format("{:<18}{}\n", "status", status);
        std::cout << fmt::format("{:<18}{} of {}\n", "frames on disk",
                                 plan->frames.size() - missing.size(), plan->frames.size());
        std::cout << fmt::format("{:<18}{:.1f} s with {} workers\n", "wall time", wall, workers);
        std::cout << fmt::format("{:<18}{}\n", "output", plan->pattern);
        for (const auto& reason : reasons) std::cout << "failed: " << reason << "\n";
        if (!missing.empty()) {
            std::cout << "missing or damaged on disk: "
                      << core::FrameSet::from_frames(missing).to_string() << "\n";
        }
        if (!ok) {
            std::cout << "Logs: " << (options.state_dir / "logs").string()
                      << ". Fix the cause and run the same command again: finished frames are kept.\n";
        }
    }
    return ok ? k_exit_ok : k_exit_failure;
}

}  // namespace

void add_render_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<RenderArgs>();
    auto* cmd = app.add_subcommand(
        "render", "Render an animation on this machine with a local farm (the main job)");
    cmd->footer(k_footer);
    cmd->add_option("scene", args->scene_file, "The .blend file")->required();
    cmd->add_option("--frames,-f", args->frames, "Frames to render, e.g. 1-250")->required();
    cmd->add_option("-o,--output", args->output, "Output pattern, e.g. renders/shot_####")
        ->required();
    cmd->add_option("--workers,-w", args->workers, "Local workers (default from the cores)");
    cmd->add_option("--chunk", args->chunk, "Frames per task")->capture_default_str();
    cmd->add_option("--priority", args->priority, "Job priority (higher first)")
        ->capture_default_str();
    cmd->add_option("-F,--format", args->format, "PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER, TIFF");
    cmd->add_option("--engine", args->engine, "CYCLES, BLENDER_EEVEE, BLENDER_WORKBENCH");
    cmd->add_option("--device", args->device, "cpu, gpu, auto, OPTIX, CUDA, HIP, ONEAPI, METAL")
        ->capture_default_str();
    cmd->add_option("--scene", args->scene, "The scene in the .blend to render");
    cmd->add_option("--resolution", args->resolution, "WxH, e.g. 1920x1080");
    cmd->add_option("--percentage", args->percentage, "Resolution percentage, for previews");
    cmd->add_option("--samples", args->samples, "Render samples");
    cmd->add_flag("--allow-scripts", args->allow_scripts, "Let the scene's Python scripts run");
    cmd->add_flag("--strict", args->strict, "Fail frames whose scene lacks linked files");
    cmd->add_option("--frame-timeout", args->frame_timeout, "Seconds one frame may take (0: none)");
    cmd->add_option("--stall-timeout", args->stall_timeout, "Seconds without progress")
        ->capture_default_str();
    cmd->add_option("--lease-timeout", args->lease_timeout,
                    "Seconds before a silent worker's frame goes back to the queue")
        ->capture_default_str();
    cmd->add_option("--blender", args->blender, "The Blender to run (default: found on PATH)");
    cmd->add_option("--state-dir", args->state_dir, "Farm state (default: OUTPUT_FOLDER/.spotfarm)");
    cmd->add_flag("--json", args->json, "Print a JSON summary for scripts");
    auto cloud = std::make_shared<CloudRenderFlags>();
    add_render_cloud_flags(*cmd, *cloud);
    cmd->callback([args, cloud, &exit_code] { exit_code = run_render(*args, *cloud); });
}

}  // namespace spotfarm::cli
