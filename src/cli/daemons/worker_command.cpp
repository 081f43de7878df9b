// `spotfarm worker`: joins a manager, renders the tasks it is given with one persistent Blender
// per job, and leaves cleanly on SIGTERM/SIGINT or a spot interruption notice.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "blender/blender_install.h"
#include "cli/client/client_config.h"
#include "cli/common/commands.h"
#include "cli/daemons/worker_config.h"
#include "cli/daemons/worker_watcher.h"
#include "core/instance_identity.h"
#include "protocol/protocol.h"
#include "util/http_client.h"
#include "util/json_fields.h"
#include "util/parent_death.h"
#include "util/stop_signals.h"
#include "util/text_file.h"
#include "worker/blender_renderer.h"
#include "worker/blob_cache.h"
#include "worker/capabilities.h"
#include "worker/job_tree.h"
#include "worker/manager_client.h"
#include "worker/outbox.h"
#include "worker/sleeper.h"
#include "worker/time_limit.h"
#include "worker/worker_loop.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

struct WorkerArgs {
    std::string manager;
    std::string token;
    std::string manager_pin;
    std::string name;
    std::string tags;
    std::string state_dir;
    std::string blender;
    SpotWatchFlags spot;
    double grace = 20;
    int claim_wait = 20;
    double give_up_after = 600;
    int restart_every = 0;
    double max_memory_mb = 0;
    std::string preload_job;
    std::string config;
    bool refuse_scripts = false;
    std::string cache_dir;
    std::string cache_size = "20G";
    std::string work_dir;
};

constexpr const char* k_worker_command_footer = R"(
The manager URL and the join token may also come from SPOTFARM_MANAGER and SPOTFARM_JOIN_TOKEN
(SPOTFARM_TOKEN is read when SPOTFARM_JOIN_TOKEN is unset); the manager writes the join token into
its state folder when it first starts. A worker started by a provider also finds its instance id
in SPOTFARM_INSTANCE_ID and registers with the tag instance=ID, so the manager's fleet controller
knows which machine it runs on.
State (--state-dir): the worker's registration and its outbox, the reports the manager has not
  taken yet (finished frames are never lost to a manager that is down: they are delivered when
  it is back, also after a restart on the same folder). One worker per folder. Default:
  $XDG_STATE_HOME/spotfarm/worker-NAME (~/.local/state/spotfarm/worker-NAME).
Leaving: SIGTERM or Ctrl-C stops claiming; the frame in progress finishes if it will within
  --grace (else it stops at once; a second signal always stops it), the task goes back to the
  manager with its finished frames, and the worker signs off and exits 0.
Spot interruptions (--spot-watch, --imds-url; on by default on EC2): the worker asks IMDSv2 for
  spot/instance-action and the rebalance recommendation every --spot-poll seconds. On an
  interruption notice it takes no more work, gives its task back at once unless the frame in
  progress will finish inside the notice's two minutes, delivers the finished frames and signs
  off as interrupted. A rebalance recommendation lets the frame finish, then it leaves.
Preloading (--preload-job FILE): FILE holds the settings of a job this worker is about to be
  given, as the JSON object `spotfarm submit` sends (scene, output, engine, ...). Blender starts
  loading that scene at once, while the worker probes Blender and registers; when the first task
  is of a job with the very same settings, it renders with that Blender, otherwise the Blender is
  replaced. Meant for workers started for a job already submitted, as a local render's are.
Scripts (--refuse-scripts, or refuse_scripts = true under [worker] in the config file): the
  worker never renders a job whose scene may run Python (allow_scripts). Its claims say so and
  the manager hands it no such job; should one come anyway, it fails at once, Blender unstarted.
  The config file is --config, else $SPOTFARM_CONFIG, else ~/.config/spotfarm/config.toml.
Transfer mode (jobs submitted to a manager that does not share the scene's folder): the worker
  fetches the job's files from the manager into its blob cache (--cache-dir, default
  STATE/cache; --cache-size, default 20G, least recently used files out), lays the job out under
  --work-dir (default STATE/work) with hard links into the cache, renders there and uploads every
  frame; a task reports complete only once the manager holds all its frames. Keep the cache and
  the work folder on one file system, or every file is copied instead of linked.
Exit codes: 0 left cleanly; 1 failed; 2 bad arguments or a refused token; 3 Blender missing or
  the manager out of reach for --give-up-after seconds.

Examples:
  spotfarm worker --manager http://farm:8080 --token $(cat state/worker-join.token)
  SPOTFARM_MANAGER=http://10.0.0.5:8080 SPOTFARM_JOIN_TOKEN=... spotfarm worker --tags gpu,big
)";

std::vector<std::string> split_tags(const std::string& text) {
    std::vector<std::string> tags;
    std::stringstream in(text);
    for (std::string tag; std::getline(in, tag, ',');) {
        if (!tag.empty()) tags.push_back(tag);
    }
    return tags;
}

std::string env_or(const char* name, const std::string& given) {
    if (!given.empty()) return given;
    const char* value = std::getenv(name);
    return value ? value : "";
}

// --token, else SPOTFARM_JOIN_TOKEN (what providers set), else SPOTFARM_TOKEN (older setups).
std::string join_token(const std::string& given) {
    std::string token = env_or("SPOTFARM_JOIN_TOKEN", given);
    return token.empty() ? env_or("SPOTFARM_TOKEN", "") : token;
}

// The tags given, plus "instance=ID" when a provider named this worker's machine.
std::vector<std::string> worker_tags(const std::string& given) {
    std::vector<std::string> tags = split_tags(given);
    const std::string instance = env_or(std::string(core::k_instance_id_variable).c_str(), "");
    if (!instance.empty() && !core::instance_from_tags(tags)) {
        tags.push_back(core::instance_tag(instance));
    }
    return tags;
}

fs::path default_state_dir(const std::string& name) {
    const char* state = std::getenv("XDG_STATE_HOME");
    const char* home = std::getenv("HOME");
    fs::path base = state && *state ? fs::path(state)
                    : home && *home ? fs::path(home) / ".local" / "state"
                                    : fs::temp_directory_path();
    return base / "spotfarm" / ("worker-" + name);
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

int exit_code_for(const util::Error& error) {
    return exit_code(error.kind);
}

// --refuse-scripts, or the config file's [worker] refuse_scripts. A config file named by flag or
// variable must exist; the default one may be missing.
util::Result<bool> refuse_scripts(const WorkerArgs& args) {
    if (args.refuse_scripts) return true;
    const ClientEnvironment env = process_environment();
    fs::path path = args.config;
    if (path.empty()) path = env.getenv("SPOTFARM_CONFIG").value_or("");
    std::error_code ec;
    if (!path.empty() && !fs::exists(path, ec)) {
        return util::make_error("the config file " + path.string() + " does not exist",
                                util::ErrorKind::invalid);
    }
    if (path.empty()) path = default_config_path(env);
    auto settings = read_worker_settings(path);
    if (!settings) return settings.error();
    return settings->refuse_scripts;
}

// The job settings a --preload-job file holds.
util::Result<core::JobSettings> read_preload_job(const fs::path& path) {
    auto text = util::read_text_file(path);
    if (!text) return text.error();
    auto json = util::parse_json_text(*text, path.string());
    if (!json) return json.error();
    return protocol::from_json<core::JobSettings>(*json);
}

int run_worker(const WorkerArgs& args) {
    // First, so that a stop during start-up is seen: the loop then leaves at once.
    util::StopSignals stop_signals;
    spdlog::set_default_logger(spdlog::stderr_color_mt("worker"));
    auto fail = [](const std::string& message, int code) {
        std::cerr << "spotfarm worker: " << message << "\n";
        return code;
    };
    // A local worker of `spotfarm render` ends with it, even when the render is killed.
    if (auto followed = util::die_with_parent_from_environment(); !followed) {
        return fail(followed.error().message, exit_code(followed.error().kind));
    }

    const std::string manager = env_or("SPOTFARM_MANAGER", args.manager);
    const std::string token = join_token(args.token);
    if (manager.empty()) {
        return fail("no manager: give its URL with --manager or SPOTFARM_MANAGER", k_exit_usage);
    }
    if (token.empty()) {
        return fail(
            "no join token: give it with --token or SPOTFARM_JOIN_TOKEN (the manager writes "
            "it into its state folder as worker-join.token)",
            k_exit_usage);
    }
    const std::string pin = env_or("SPOTFARM_MANAGER_PIN", args.manager_pin);
    if (!pin.empty()) {
        auto checked = check_manager_pin(
            pin, args.manager_pin.empty() ? "SPOTFARM_MANAGER_PIN" : "--manager-pin");
        if (!checked) return fail(checked.error().message, k_exit_usage);
    }

    auto refuses = refuse_scripts(args);
    if (!refuses) return fail(refuses.error().message, k_exit_usage);

    std::optional<core::JobSettings> preload;
    if (!args.preload_job.empty()) {
        auto job = read_preload_job(args.preload_job);
        if (!job) return fail("--preload-job: " + job.error().message, k_exit_usage);
        preload = std::move(*job);
    }

    auto blender = blender::find_blender(blender::blender_search_from_env(args.blender));
    if (!blender) return fail(blender.error().message, exit_code(blender.error().kind));
    worker::BlenderRenderer renderer(
        worker::BlenderRendererOptions{*blender, args.restart_every, args.max_memory_mb});
    if (preload) {
        // Before the probe, so that the scene loads while Blender is probed and the worker
        // registers; a failure here is the first task's to report.
        if (auto loading = renderer.preload(*preload); !loading) {
            spdlog::warn("--preload-job: {}", loading.error().message);
        } else {
            spdlog::info("loading {} ahead of the first task", preload->scene);
        }
    }
    auto described = renderer.describe();
    if (!described) return fail(described.error().message, k_exit_unavailable);
    protocol::RegisterRequest info =
        worker::describe_machine(args.name, worker_tags(args.tags), *described);

    const fs::path state_dir =
        args.state_dir.empty() ? default_state_dir(info.name) : fs::path(args.state_dir);
    auto outbox = worker::Outbox::open(state_dir / "outbox");
    if (!outbox) return fail(outbox.error().message, k_exit_usage);

    auto cache_size = parse_byte_size(args.cache_size);
    if (!cache_size) return fail("--cache-size: " + cache_size.error().message, k_exit_usage);
    auto cache = worker::BlobCache::open(
        args.cache_dir.empty() ? state_dir / "cache" : fs::path(args.cache_dir), *cache_size);
    if (!cache) return fail(cache.error().message, k_exit_usage);
    worker::JobTrees trees(**cache,
                           args.work_dir.empty() ? state_dir / "work" : fs::path(args.work_dir));
    if (auto cleared = trees.remove_stale(); !cleared) {
        return fail(cleared.error().message, k_exit_usage);
    }

    util::CurlHttpClient http(util::TlsTrust{pin});
    auto watcher = make_interruption_watcher(args.spot, http);
    if (!watcher) return fail(watcher.error().message, exit_code(watcher.error().kind));

    worker::ManagerClientOptions client_options{manager, token};
    client_options.stop_signals = &stop_signals.count();
    worker::ManagerClient client(http, client_options);
    worker::SignalAwareSleeper sleeper(&stop_signals.count());

    worker::WorkerConfig config;
    config.info = info;
    config.manager = client.api_root();
    config.state_dir = state_dir;
    config.claim_wait = std::chrono::seconds(args.claim_wait);
    config.drain_grace = seconds_to_ms(args.grace);
    config.give_up_after = seconds_to_ms(args.give_up_after);
    config.refuse_scripts = *refuses;
    // A worker that is a Slurm job drains before its time limit instead of being killed there.
    if (auto limit = worker::slurm_time_limit(); !limit) {
        spdlog::warn("cannot tell the Slurm job's time limit: {}", limit.error().message);
    } else if (*limit) {
        config.time_limit = **limit;
        spdlog::info("Slurm job ends in {} s: no frame is claimed that cannot finish by then",
                     std::chrono::duration_cast<std::chrono::seconds>(
                         **limit - std::chrono::system_clock::now())
                         .count());
    }
    spdlog::info("worker {} on {}: {} cores, {} MiB, Blender {}{}; manager {}, state in {}{}",
                 info.name, info.host, info.cores, info.memory_mb, info.blender_version,
                 info.gpus.empty() ? "" : " with GPUs", client.api_root(), state_dir.string(),
                 config.refuse_scripts ? "; refuses jobs with scripts" : "");
    spdlog::info("transfer mode: {}", (*cache)->describe());

    worker::WorkerLoop loop(
        config, worker::WorkerServices{client, renderer, **outbox, util::steady_clock(), sleeper,
                                       watcher->get(), &stop_signals.count(), &trees});
    util::Status status = loop.run();
    const auto& summary = loop.summary();
    spdlog::info("{} tasks completed, {} failed, {} given back, {} dropped on the manager's word",
                 summary.tasks_completed, summary.tasks_failed, summary.tasks_released,
                 summary.tasks_dropped);
    if (!status) return fail(status.error().message, exit_code_for(status.error()));
    return k_exit_ok;
}

}  // namespace

void add_worker_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<WorkerArgs>();
    CLI::App* cmd = app.add_subcommand(
        "worker",
        "Join a manager and render the frames it hands out, with one persistent Blender per job.\n"
        "Reports wait on disk while the manager is unreachable; SIGTERM leaves cleanly.");
    cmd->footer(k_worker_command_footer);
    cmd->add_option("--manager", args->manager, "The manager's URL, e.g. http://farm:8080");
    cmd->add_option("--token", args->token, "The worker join token (or SPOTFARM_JOIN_TOKEN)");
    cmd->add_option("--manager-pin", args->manager_pin,
                    "Trust the https manager whose key has this pin, and no other (or "
                    "SPOTFARM_MANAGER_PIN; the manager prints it at start)");
    cmd->add_option("--name", args->name, "The worker's name (default: the host name)");
    cmd->add_option("--tags", args->tags, "Comma-separated tags jobs can ask for, e.g. gpu,big");
    cmd->add_option("--state-dir", args->state_dir, "Where the outbox and registration live");
    cmd->add_option("--blender", args->blender, "The Blender to run (default: found on PATH)");
    cmd->add_flag("--spot-watch", args->spot.spot_watch,
                  "Watch EC2's instance metadata service for spot interruption notices and "
                  "drain on one (on by default on an EC2 instance)");
    cmd->add_option("--imds-url", args->spot.imds_url,
                    "Watch this instance metadata service instead of EC2's own "
                    "(http://169.254.169.254)");
    cmd->add_option("--spot-poll", args->spot.poll_seconds,
                    "Seconds between two looks at the spot interruption notice")
        ->capture_default_str()
        ->check(CLI::Range(1, 60));
    cmd->add_option("--grace", args->grace,
                    "Seconds a frame in progress may still take after SIGTERM/SIGINT")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 3600.0));
    cmd->add_option("--claim-wait", args->claim_wait, "Seconds one long-poll for work may wait")
        ->capture_default_str()
        ->check(CLI::Range(1, 60));
    cmd->add_option("--give-up-after", args->give_up_after,
                    "Seconds without the manager before the worker stops (0: never)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1e7));
    cmd->add_option("--restart-every", args->restart_every,
                    "Start a fresh Blender after this many frames (0: never)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--preload-job", args->preload_job,
                    "A JSON file with the settings of the job this worker is about to render: "
                    "its scene loads while the worker registers");
    cmd->add_flag("--refuse-scripts", args->refuse_scripts,
                  "Never render a job that lets its scene run Python (allow_scripts)");
    cmd->add_option("--config", args->config,
                    "The config file whose [worker] table to read (default: $SPOTFARM_CONFIG, "
                    "else ~/.config/spotfarm/config.toml)");
    cmd->add_option("--cache-dir", args->cache_dir,
                    "Where transfer-mode jobs' files are cached (default: STATE/cache)");
    cmd->add_option("--cache-size", args->cache_size,
                    "Most bytes the file cache may hold, e.g. 20G, 500M (least recently used "
                    "files go first)")
        ->capture_default_str();
    cmd->add_option("--work-dir", args->work_dir,
                    "Where transfer-mode jobs are laid out and rendered (default: STATE/work)");
    cmd->add_option("--max-memory-mb", args->max_memory_mb,
                    "Start a fresh Blender once its peak memory passes this (0: never)")
        ->check(CLI::NonNegativeNumber);
    cmd->callback([args, &exit_code] { exit_code = run_worker(*args); });
}

}  // namespace spotfarm::cli
