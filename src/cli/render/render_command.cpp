// `spotfarm render`: the main job. Renders an animation through a real farm, on this machine (N
// local workers) or on a cloud fleet (--cloud aws), follows it with a progress bar and exits 0
// only when every frame is on disk and valid. The same command again resumes. Both ways are the
// same code (farm_render.h); only the provider and where the manager listens differ.

#include <algorithm>
#include <iostream>
#include <thread>

#include "cli/common/commands.h"
#include "cli/common/listen_address.h"
#include "cli/common/render_flags.h"
#include "cli/jobs/submit.h"
#include "cli/render/farm_render.h"
#include "cli/render/render_args.h"
#include "cli/render/render_in_cloud.h"
#include "cli/render/render_plan.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_render_command_footer = R"(
How it works: a manager runs inside this command with its state in OUTPUT_FOLDER/.spotfarm
  (SQLite and tokens); N `spotfarm worker` processes claim frames from it, each keeping one
  Blender with the scene loaded, and this command follows the job until every frame is on disk
  and valid. A worker that crashes is replaced and its frame goes back to the queue; nothing is
  lost. Workers end with this command, however it ends (even kill -9).
Workers (--workers): default from the cores (2 on a 2-4 core machine, cores/4 above, at most
  16); CPU threads are shared out between them.
Resuming: run the same command again. The job is found in the state folder and only frames not
  yet on disk are rendered. Ctrl-C drains the workers and stops cleanly. While a render of an
  output folder runs, a second one on the same folder says which process holds it and exits 2.
Existing farm (--manager URL): the job is submitted to that manager (its files uploaded when it
  cannot see the scene), and its frames are downloaded into -o's folder as they finish, as
  `spotfarm submit --follow` does; Ctrl-C stops following and the job goes on.
Cloud (--cloud aws): the same job on up to --count EC2 Spot instances. The scene is checked
  here first (the Blender that saved it, format, device, missing files): a scene that cannot
  render launches nothing. `spotfarm cloud setup` runs when the region has none. Then a small
  on-demand instance runs the manager (HTTPS with a certificate made and pinned here, its
  state on EFS), the scene's files are uploaded to it, its fleet renders, and the frames
  stream into -o's folder. --detach returns once the job is queued; `spotfarm sync ID -o DIR
  --cloud aws` and `spotfarm jobs --cloud aws` find the manager again. With --listen or
  --manager-url the manager runs in this command instead (a machine inside the VPC). See
  docs/cloud.md.
--slurm (--cloud slurm): up to --count Slurm array tasks (docs/slurm.md); --cloud ssh
  --hosts FILE: the hosts of FILE over SSH (docs/ssh.md).
Frames, output, devices: as for `spotfarm exec` (see `spotfarm exec --help`).
Exit codes: 0 every frame on disk and valid; 1 frames failed; 2 bad input, or the output folder
  is being rendered already; 3 Blender or the manager could not start; 130 interrupted.

Examples:
  spotfarm render shot.blend --frames 1-250 -o renders/shot_####
  spotfarm render shot.blend --frames 1-250 -o renders/ --workers 4 --samples 64
  spotfarm render shot.blend --frames 1-100x5 -o previews/ --percentage 25 --json
  spotfarm render shot.blend --frames 1-250 -o renders/ --manager farm:8420 --token-file people.token
)";

int default_workers(unsigned cores) {
    if (cores <= 1) return 1;
    if (cores <= 4) return 2;
    return std::clamp(static_cast<int>(cores / 4), 2, 16);
}

// Local workers: as many as asked, at once (one more for each share of the frames), replaced
// when one dies, on loopback.
FarmRenderOptions local_options(const RenderArgs& a, const RenderPlan& plan, int workers) {
    FarmRenderOptions o;
    o.state_dir = a.state_dir.empty() ? plan.output_dir / ".spotfarm" : fs::path(a.state_dir);
    o.lease_timeout = std::chrono::seconds(a.lease_timeout);
    o.json = a.json;
    ManagerFleetFlags& f = o.fleet;
    f.provider = "local";
    f.min_workers = 0;
    f.max_workers = workers;
    f.frames_per_worker = std::max<int>(1, static_cast<int>((plan.frames.size() + workers - 1) /
                                                            static_cast<std::size_t>(workers)));
    f.idle_grace_s = 60;
    f.register_timeout_s = 60;
    f.refresh_s = 1;
    // Short long-polls: a worker idle in a claim sees SIGTERM within a second, so the command
    // ends as soon as the last frame is in (cheap on loopback).
    f.worker.worker_args = {"--claim-wait", "1"};
    // The job is known before the workers start: their Blender loads it while they register.
    o.preload_file = o.state_dir / "preload-job.json";
    f.worker.worker_args.push_back("--preload-job");
    f.worker.worker_args.push_back(o.preload_file.string());
    if (!a.render.blender.empty()) {
        f.worker.worker_args.push_back("--blender");
        f.worker.worker_args.push_back(a.render.blender);
    }
    return o;
}

util::Result<FarmRenderOptions> cloud_options(const RenderArgs& a, RenderPlan& plan) {
    const CloudRenderFlags& c = a.cloud;
    if (c.count < 1) {
        return util::make_error("--cloud needs --count N (N >= 1)", util::ErrorKind::invalid);
    }
    FarmRenderOptions o;
    o.cloud = true;
    o.keep_fleet = c.keep_fleet;
    o.json = a.json;
    o.state_dir = a.state_dir.empty() ? plan.output_dir / ".spotfarm-cloud" : fs::path(a.state_dir);
    o.lease_timeout = std::chrono::seconds(a.lease_timeout);
    const std::string listen = c.listen.empty() ? "0.0.0.0:8420" : c.listen;
    if (!split_listen(listen, o.address, o.port)) {
        return util::make_error("--listen '" + listen + "' is not ADDRESS:PORT",
                                util::ErrorKind::invalid);
    }
    ManagerFleetFlags& f = o.fleet;
    f = c.fleet;
    f.provider = c.cloud;
    f.min_workers = 0;
    f.max_workers = c.count;
    // Every instance asked for while frames are left, one frame each at least.
    f.frames_per_worker = std::max<int>(1, static_cast<int>((plan.frames.size() + c.count - 1) /
                                                            static_cast<std::size_t>(c.count)));
    f.idle_grace_s = 60;
    // One render's fleet is small: look often, so an interrupted instance is replaced quickly.
    f.refresh_s = 3;
    // Each instance renders with all of its own cores, unless --threads says otherwise.
    if (!a.render.threads) plan.job.erase("threads");
    return o;
}

// On an existing farm: the job is submitted (transfer mode unless the manager sees the scene),
// followed, and its frames downloaded into -o's folder as they finish.
int run_render_on_manager(const RenderArgs& a) {
    SubmitOptions s;
    s.render = a.render;
    s.client = a.client;
    s.json = a.json;
    s.follow = true;
    return run_submit(s);
}

int run_render(const RenderArgs& a) {
    if (!a.client.manager.empty()) return run_render_on_manager(a);
    if (a.cloud.enabled() && !a.cloud.manager_here()) return run_render_in_cloud(a);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int workers = a.workers > 0 ? a.workers : default_workers(cores);
    auto plan = make_render_plan(a, workers);
    if (!plan) {
        std::cerr << "spotfarm render: " << plan.error().message << "\n";
        return exit_code(plan.error().kind);
    }
    if (!a.cloud.enabled()) return run_farm_render(*plan, local_options(a, *plan, workers));
    auto options = cloud_options(a, *plan);
    if (!options) {
        std::cerr << "spotfarm render: " << options.error().message << "\n";
        return exit_code(options.error().kind);
    }
    return run_farm_render(*plan, *options);
}

}  // namespace

void add_render_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<RenderArgs>();
    auto* cmd = app.add_subcommand(
        "render", "Render an animation with a farm on this machine or in the cloud (the main job)");
    cmd->footer(k_render_command_footer);
    add_render_flags(*cmd, args->render, {.name = false});
    cmd->add_option("--workers,-w", args->workers, "Local workers (default from the cores)");
    cmd->add_option("--lease-timeout", args->lease_timeout,
                    "Seconds before a silent worker's frame goes back to the queue")
        ->capture_default_str();
    cmd->add_option("--state-dir", args->state_dir,
                    "Farm state (default: OUTPUT_FOLDER/.spotfarm)");
    cmd->add_flag("--json", args->json, "Print a JSON summary for scripts");
    add_render_cloud_flags(*cmd, args->cloud);
    add_client_options(*cmd, args->client);
    cmd->callback([args, &exit_code] { exit_code = run_render(*args); });
}

}  // namespace spotfarm::cli
