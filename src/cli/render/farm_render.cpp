#include "cli/render/farm_render.h"

#include <unistd.h>

#include <iostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "blender/frame_decoder.h"
#include "cli/client/api_client.h"
#include "cli/client/wire_answer.h"
#include "cli/common/commands.h"
#include "cli/preview/job_media_client.h"
#include "cli/render/render_follow.h"
#include "cli/render/render_progress.h"
#include "cli/render/render_summary.h"
#include "manager/manager_service.h"
#include "protocol/fleet_summary.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"
#include "util/atomic_file.h"
#include "util/http_client.h"
#include "util/self_executable.h"
#include "util/stop_signals.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto k_fleet_gone_wait = 120s;  // for the provider to confirm every termination

int fail(const util::Error& error) {
    std::cerr << "spotfarm render: " << error.message << "\n";
    return exit_code(error.kind);
}

// The last `count` non-empty lines of a log, each on a line of its own, indented.
std::string last_lines(const std::string& log, int count) {
    std::vector<std::string> lines;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
    }
    std::string text;
    const std::size_t from = lines.size() > std::size_t(count) ? lines.size() - count : 0;
    for (std::size_t i = from; i < lines.size(); ++i) text += "\n    " + lines[i];
    return text;
}

// The failed tasks' errors and the end of their log tails, for the summary.
std::vector<std::string> failure_reasons(ApiClient& api, std::int64_t job) {
    std::vector<std::string> reasons;
    auto failed = get_answer<protocol::TaskList>(
        api, "/jobs/" + std::to_string(job) + "/tasks?status=failed");
    if (!failed) return reasons;
    for (const auto& task : failed->tasks) {
        auto detail = get_answer<protocol::TaskDetail>(api, "/tasks/" + std::to_string(task.id));
        std::string why = "no reason recorded";
        std::string log_end;
        for (const auto& attempt :
             detail ? detail->attempt_list : decltype(detail->attempt_list){}) {
            if (attempt.error.empty()) continue;
            why = attempt.error;
            log_end = last_lines(attempt.log_tail, 3);
        }
        reasons.push_back("frames " + task.frames.to_string() + ": " + why + log_end);
    }
    return reasons;
}

// The job of an earlier run of this plan (resumed: its failed frames get another chance), else
// a new one.
util::Result<std::int64_t> submit_or_resume(ApiClient& api, const RenderPlan& plan,
                                            const fs::path& state_dir, bool quiet) {
    if (auto jobs = get_answer<protocol::JobList>(api, "/jobs")) {
        for (const auto& job : jobs->jobs) {
            if (!is_earlier_run(job, plan)) continue;
            const std::string path = "/jobs/" + std::to_string(job.id);
            (void)api.post(path + "/requeue");
            (void)api.post(path + "/resume");
            if (!quiet)
                std::cerr << "Resuming job " << job.id << " from " << state_dir.string() << "\n";
            return job.id;
        }
    }
    auto submitted = read_answer<protocol::JobSummary>(api.post("/jobs", plan.job), "/jobs");
    if (!submitted) {
        return util::make_error("the manager refused the job: " + submitted.error().message,
                                util::ErrorKind::invalid);
    }
    return submitted->id;
}

// Terminates every instance of the fleet and waits until the provider shows none left; returns
// the instances it could not confirm gone.
std::vector<std::string> delete_fleet(ManagerFleet& fleet) {
    if (auto stopped = fleet.runner->stop_fleet(); !stopped)
        std::cerr << "spotfarm render: terminating the fleet: " << stopped.error().message << "\n";
    std::vector<std::string> left;
    for (auto until = std::chrono::steady_clock::now() + k_fleet_gone_wait;;) {
        left.clear();
        auto listed = fleet.provider->list_workers();
        if (listed) {
            for (const auto& instance : *listed)
                if (instance.state != providers::WorkerState::stopped) left.push_back(instance.id);
            if (left.empty()) return left;
        }
        if (std::chrono::steady_clock::now() > until) return left;
        (void)fleet.provider->stop_all();
        std::this_thread::sleep_for(1s);
    }
}

// The manager encodes the scene's video and the previews after the last frame, off its io
// thread: the render waits for them, so it ends with its video in place and their warnings told.
void wait_for_media(ApiClient& api, std::int64_t job, bool json, const util::StopSignals& stop,
                    const std::filesystem::path& state_dir) {
    bool told = false;
    auto media = wait_for_job_media(
        api, job,
        [&](const JobMedia& m, double) {
            if (json || told || !(m.busy || m.state == "making")) return;
            std::cerr << (m.video ? "Encoding the scene's video from the frames\n"
                                  : "Making the preview from the frames\n");
            told = true;
        },
        std::chrono::milliseconds(200), [&stop] { return stop.raised(); });
    if (!media || json) return;
    if (media->video && media->video_size > 0) std::cerr << "Video: " << *media->video << "\n";
    if (media->state == "ready") {
        std::cerr << "Preview: "
                  << (state_dir / "previews" / ("job-" + std::to_string(job))).string()
                  << "/ (preview.mp4, preview.webm, contact-sheet.png)\n";
    }
}

FleetOutcome fleet_outcome(ManagerFleet& fleet, const FarmRenderOptions& options,
                           std::vector<std::string> left) {
    FleetOutcome out;
    out.fleet_id = fleet.fleet_id;
    if (auto now = protocol::from_json<protocol::FleetSummary>(fleet.runner->fleet_json())) {
        for (const auto& instance : now->instances) {
            ++(instance.interruptible ? out.spot : out.on_demand);
            ++out.pools[instance.kind + (instance.zone.empty() ? "" : " in " + instance.zone)];
        }
    }
    out.spot_asked = !options.fleet.launch.on_demand;
    const manager::FleetCost cost = fleet.runner->cost();
    out.instance_hours = cost.instance_hours;
    out.usd = cost.usd;
    out.cost_notes = cost.notes;
    out.left = std::move(left);
    out.kept = options.keep_fleet;
    return out;
}

}  // namespace

int run_farm_render(const RenderPlan& plan, const FarmRenderOptions& options) {
    // First, so that a Ctrl-C during start-up is seen.
    util::StopSignals stop;
    // The manager's and the fleet's log lines are for people watching: stdout carries only the
    // answer (with --json, nothing but the JSON).
    spdlog::set_default_logger(spdlog::stderr_color_mt("render"));
    if (!options.cloud) spdlog::set_level(spdlog::level::warn);

    manager::ManagerOptions manager_options;
    manager_options.state_dir = options.state_dir;
    manager_options.address = options.address;
    manager_options.port = options.port;
    manager_options.lease_timeout = options.lease_timeout;
    // Only cloud workers download the frame-check module from the manager.
    if (options.cloud) {
        manager_options.frame_check_module = blender::frame_check_module_path().value_or("");
    }
    auto service = manager::ManagerService::open(manager_options);
    if (!service) {
        if (service.error().kind == util::ErrorKind::conflict) {
            std::cerr << "spotfarm render: a render of " << plan.output_dir.string()
                      << " is already running: " << service.error().message
                      << ". Wait for it, or stop it, and run this command again.\n";
            return k_exit_usage;
        }
        return fail(service.error());
    }
    manager::ManagerService& m = **service;
    if (!options.preload_file.empty()) {
        if (auto written = util::write_file_atomic(options.preload_file, plan.job.dump() + "\n");
            !written) {
            return fail(written.error());
        }
    }
    // The folder is ours now (the state lock) and no worker runs yet.
    if (const int removed = remove_leftover_temporaries(plan); removed > 0 && !options.json) {
        std::cerr << "Removed " << removed << " unfinished frame file(s) of an earlier run\n";
    }

    ManagerFleetFlags fleet_flags = options.fleet;
    if (fleet_flags.worker.manager_url.empty()) {
        auto url = worker_facing_url(fleet_flags.worker, m, options.address);
        if (!url) return fail(url.error());
        fleet_flags.worker.manager_url = *url;
    }
    auto opened = open_manager_fleet(fleet_flags, m, util::self_executable());
    if (!opened) return fail(opened.error());
    ManagerFleet& fleet = **opened;
    if (options.cloud) {
        // One call before anything is launched: bad credentials or permissions end here, with
        // EC2's own words, and instances of an earlier run of this fleet show up.
        if (auto listed = fleet.provider->list_workers(); !listed) {
            return fail(util::make_error("cannot use " + std::string(fleet.provider->name()) +
                                         ": " + listed.error().message));
        }
    }
    m.set_fleet(fleet.runner.get());
    if (auto started = m.start(); !started) return fail(started.error());

    util::CurlHttpClient http;
    ApiClient api(http, {m.url(), m.tokens().person, "this render", "its state folder"});
    auto job = submit_or_resume(api, plan, options.state_dir, options.json);
    if (!job) return fail(job.error());
    fleet.runner->start(m);

    const int workers = fleet_flags.max_workers;
    const std::string workers_text =
        options.cloud ? fmt::format("up to {} {} instance(s)", workers, fleet_flags.provider)
                      : fmt::format("{} worker{}", workers, workers == 1 ? "" : "s");
    if (!options.json) {
        std::cerr << fmt::format("Rendering {} frames of {} with {}; state in {}\n",
                                 plan.frames.size(), plan.scene.filename().string(), workers_text,
                                 options.state_dir.string());
    }
    RenderProgress progress(stderr, !options.json && ::isatty(STDERR_FILENO) != 0,
                            plan.frames.size(),
                            [&api](const std::string& path) { return api.get(path); });
    FleetCheck fleet_check = [&fleet]() -> std::optional<std::string> {
        auto now = protocol::from_json<protocol::FleetSummary>(fleet.runner->fleet_json());
        return now ? now->launch_stopped : std::nullopt;
    };
    const FollowResult followed = follow_job(api, *job, progress, stop, fleet_check);
    if (followed.stopped_by == "interrupted" && !options.json) {
        std::cerr << "Stopping: workers hand back their frames. Run the same command again to "
                     "resume.\n";
    }

    RenderOutcome outcome;
    outcome.job = *job;
    outcome.status = followed.status;
    outcome.stopped_by = followed.stopped_by;
    outcome.frames = plan.frames.size();
    outcome.wall_seconds = followed.wall_seconds;
    outcome.workers = workers;
    outcome.workers_text = workers_text;
    outcome.output = plan.pattern;
    outcome.logs = options.state_dir / "logs";
    if (followed.status != "completed") outcome.failures = failure_reasons(api, *job);
    if (followed.status == "completed")
        wait_for_media(api, *job, options.json, stop, options.state_dir);
    if (auto detail = get_answer<protocol::JobDetail>(api, "/jobs/" + std::to_string(*job))) {
        outcome.warnings = warning_lines(*detail);
    }

    // The end: no more launches, then every worker gone (local ones drain: a task in flight goes
    // back to the queue for the next run), then the manager.
    fleet.runner->stop();
    if (options.cloud) {
        std::vector<std::string> left;
        if (!options.keep_fleet) left = delete_fleet(fleet);
        outcome.fleet = fleet_outcome(fleet, options, std::move(left));
    } else {
        // SIGTERM first, then the claims they wait in are answered, then wait for them to go.
        if (auto listed = fleet.provider->list_workers()) {
            std::vector<std::string> ids;
            for (const auto& worker : *listed) ids.push_back(worker.id);
            (void)fleet.provider->stop_workers(ids);
        }
        m.close_claims();
        (void)fleet.provider->stop_all();
    }
    m.stop();
    m.join();

    outcome.missing = frames_missing_on_disk(plan);
    print_render_summary(outcome, options.json);
    if (followed.stopped_by == "interrupted") return stop.exit_code();
    return outcome.ok() ? k_exit_ok : k_exit_failure;
}

}  // namespace spotfarm::cli
