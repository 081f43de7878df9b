// `spotfarm estimate`: renders a few sample frames spread over the range on this machine, in one
// persistent Blender session and into a temporary folder (or as a job on a farm, --manager),
// then says how long all frames take, on how many machines of which type, and what it costs.

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/blender_install.h"
#include "blender/output_pattern.h"
#include "blender/session.h"
#include "cli/client/api_command.h"
#include "cli/common/commands.h"
#include "cli/common/render_flags.h"
#include "cli/common/time_text.h"
#include "cli/estimate/estimate_farm.h"
#include "cli/estimate/estimate_prices.h"
#include "cli/estimate/estimate_report.h"
#include "cli/estimate/estimate_setup.h"
#include "cli/exec/exec_progress.h"
#include "util/duration_text.h"
#include "util/folder_check.h"
#include "util/seconds.h"
#include "util/stop_signals.h"
#include "util/temp_dir.h"
#include "worker/blender_renderer.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_estimate_footer = R"(
How it works: one Blender loads the scene (timed: the scene load each worker pays once) and
  renders the sample frames as the job would be rendered (the scene's own settings, or those
  given: --samples, --resolution, --engine, ..., as `spotfarm submit` takes them) into a
  temporary folder that is removed afterwards. Samples are spread evenly over the frames, first
  and last included; the frames between are interpolated from their neighbours, and the
  interval comes from how uneven the samples are. Where two neighbouring samples differ a lot
  (one more than 1.5 times the other), frames between them are sampled too before the estimate
  is reported (at most as many again as --sample), so a sudden expensive stretch is found and
  measured rather than guessed. The interval never reaches below the time the sampled frames
  took.
Fleets: each worker boots (--startup-seconds), loads the scene, then takes tasks of --chunk
  frames in order; a frame is never split, so the slowest frame bounds the wall time however
  many workers there are. Cost is instance-hours x the price, billed per second, a minute at least.
Machines: chosen as `cloud up` and `render --cloud aws` choose them. By default a fleet
  describes its workers by attributes (16-32 vCPUs, 2 GiB per vCPU, no GPU; --vcpus,
  --memory-per-vcpu, --gpu change them) and EC2 Fleet may launch every current type that fits;
  --instance-type names the types instead. The estimate matches the choice against the price
  table and prices the render on the cheapest type it matches (EC2 fills the cheapest pools
  first); the report lists every type matched.
Prices: a built-in table of EC2 prices (us-east-1, dated; Spot at a typical discount), or your
  own file of the same format (--prices, see data/aws-prices.json). For Spot, when AWS keys are
  in the environment or ~/.aws (or with --live-prices, which also tries the instance role), EC2
  is asked for the current Spot prices of the matched types (DescribeSpotPriceHistory, the median
  of the zones' latest prices in the region; the cheapest type's is used); if that fails, the
  table's price is used and a note says why.
  An instance's speed against this machine is taken from its vCPUs against this machine's
  threads (or --threads); --speed-factor sets it (measure it: run the estimate on one
  instance and compare).
On a farm (--manager URL, needs --frames): the sample frames are submitted as a job (one frame a
  task), rendered by the farm's workers into a new folder under --sample-output (default: this
  machine's temporary folder, which workers elsewhere cannot reach: on a real farm name shared
  storage, e.g. --sample-output /mnt/efs/tmp), and timed from the manager's answers; the job and
  the images are deleted afterwards. The instances are taken to render as fast as the workers.
Exit codes: 0 estimated; 1 a sample frame failed to render; 2 bad input (frames, options,
  instance type, a scene Blender cannot open); 3 Blender or the manager not found; 130
  interrupted (Ctrl-C).

Examples:
  spotfarm estimate shot.blend --frames 1-250
  spotfarm estimate shot.blend --frames 1-250 --sample 12 --instance-type c7i.8xlarge --count 20
  spotfarm estimate shot.blend --frames 1-250 --vcpus 32-64 --count 20
  spotfarm estimate shot.blend --frames 1-250 --gpu --device gpu
  spotfarm estimate shot.blend --frames 1-250 --on-demand --speed-factor 6.5
  spotfarm estimate shot.blend --frames 1-250 --prices my-prices.json --json | jq .fleets
  spotfarm estimate /mnt/efs/shot.blend --frames 1-250 --manager http://farm:8420 \
      --sample-output /mnt/efs/tmp --instance-type c7i.8xlarge
)";

struct EstimateOptions {
    EstimateArgs args;
    ClientFlags client;
    AwsFlags aws;
};

int local_threads(const EstimateArgs& a) {
    if (a.render.threads.value_or(0) > 0) return *a.render.threads;
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? static_cast<int>(n) : 1;
}

int fail(const std::string& message, int code) {
    std::cerr << "spotfarm estimate: " << message << "\n";
    return code;
}

// The session a farm worker would render the job in, with the Blender found here.
util::Result<blender::SessionOptions> session_options(const EstimateArgs& a,
                                                      const core::JobSettings& settings) {
    auto found = blender::find_blender(blender::blender_search_from_env(a.render.blender));
    if (!found) return found.error();
    return worker::session_options({*found}, settings);
}

// Renders the sample frames (chosen once the scene's range is known when --frames is not given)
// and times them and the scene load. `frames` is filled in from the scene when empty.
util::Result<SampleMeasurement> render_samples(const EstimateArgs& a,
                                               blender::SessionOptions options,
                                               core::FrameSet& frames) {
    auto folder = util::TempDir::create("spotfarm-estimate-");
    if (!folder) return folder.error();
    util::StopSignals stop;
    const util::Clock& clock = util::steady_clock();
    ExecProgress display(stderr, !a.json && ::isatty(STDERR_FILENO) != 0, clock);
    blender::SessionCallbacks callbacks;
    callbacks.on_progress = [&](int frame, const blender::ProgressEvent& e) {
        display.progress(frame, e);
    };
    callbacks.on_notice = [&](const std::string& text) { display.notice(text); };
    callbacks.should_stop = [&] { return stop.raised(); };
    blender::Session session(options, callbacks, clock);

    SampleMeasurement m;
    m.scene_file = options.launch.scene_file.filename().string();
    const auto load_start = clock.now();
    auto info = session.start();
    if (!info) return info.error();
    m.load_seconds = util::seconds_between(load_start, clock.now());
    m.blender_version = info->blender_version;
    m.engine = info->engine;
    m.device = info->device_used;
    if (frames.empty()) {
        auto range =
            parse_estimate_frames(fmt::format("{}-{}", info->frame_start, info->frame_end));
        if (!range) {
            return util::make_error("the scene's frame range cannot be estimated: " +
                                        range.error().message + "; pass --frames",
                                    util::ErrorKind::invalid);
        }
        frames = *range;
    }
    auto chosen = estimate_sample_frames(frames, a.sample);
    if (!chosen) return chosen.error();

    display.plan(fmt::format("sampling {} of {} frames of {} to estimate (Blender {}, {} on {}, "
                             "{}x{}; scene loaded in {})",
                             chosen->size(), frames.size(), m.scene_file, m.blender_version,
                             m.engine, m.device, info->resolution.width, info->resolution.height,
                             util::format_seconds(m.load_seconds)),
                 *chosen);
    const std::string pattern = (folder->path() / "sample_####").string();
    auto render_one = [&](int frame) -> util::Status {
        display.frame_started(frame);
        blender::FrameResult r =
            session.render(frame, blender::frame_path(pattern, frame, info->extension), true);
        blender::FrameRecord record{
            frame,          r.ok ? blender::FrameOutcome::rendered : blender::FrameOutcome::failed,
            r.output,       r.render_seconds,
            r.wall_seconds, r.error};
        display.frame_done(record);
        if (r.interrupted || stop.raised()) {
            display.finish();
            return util::make_error("interrupted while rendering the sample frames",
                                    util::ErrorKind::interrupted);
        }
        if (!r.ok) {
            display.finish();
            return util::make_error(
                fmt::format("sample frame {} did not render: {}. Fix the scene (try `spotfarm exec "
                            "{} --frames {} -o /tmp/try/`) and estimate again",
                            frame, r.error, a.render.scene_file, frame),
                r.session_broken ? r.start_error : util::ErrorKind::failed);
        }
        m.seconds[frame] = r.render_seconds;
        return {};
    };
    for (int frame : *chosen) {
        if (auto rendered = render_one(frame); !rendered) return rendered.error();
    }
    // Where neighbouring samples differ a lot, a stretch of another cost may hide between them:
    // sample there before reporting, at most as many frames again as were planned.
    std::size_t extra_left = chosen->size();
    while (extra_left > 0) {
        const auto more = estimate::refine_sample_frames(frames, m.seconds, extra_left);
        if (more.empty()) break;
        for (int frame : more) {
            if (auto rendered = render_one(frame); !rendered) return rendered.error();
        }
        extra_left -= more.size();
    }
    display.finish();
    return m;
}

void print_report(const EstimateReport& report, bool json) {
    if (json) {
        std::cout << estimate_json(report).dump(2) << "\n";
    } else {
        std::cout << format_estimate(report);
    }
}

// --manager: the samples render on the farm's workers.
int estimate_on_farm(const EstimateOptions& o, const core::JobSettings& settings,
                     const core::FrameSet& frames, EstimatePricing pricing) {
    const EstimateArgs& a = o.args;
    price_for_farm_samples(pricing);
    return run_api_command("estimate", o.client, [&](ApiClient& api) -> util::Status {
        auto chosen = estimate_sample_frames(frames, a.sample);
        if (!chosen) return chosen.error();
        auto sample = sample_on_farm(api, a, settings, *chosen, frames.size());
        if (!sample) return sample.error();
        auto report = make_estimate_report(frames, std::move(*sample), pricing, a, wall_now_ms());
        if (!report) return report.error();
        print_report(*report, a.json);
        return {};
    });
}

int run_estimate(EstimateOptions& o) {
    EstimateArgs& a = o.args;
    a.manager = o.client.manager;
    if (auto ok = check_estimate_args(a); !ok) {
        return fail(ok.error().message, exit_code(ok.error().kind));
    }
    std::error_code ec;
    auto settings = job_settings(a.render, fs::current_path(ec));
    if (!settings) return fail(settings.error().message, exit_code(settings.error().kind));
    auto given = job_frames(a.render);
    if (!given) return fail(given.error().message, exit_code(given.error().kind));
    core::FrameSet frames = given->value_or(core::FrameSet{});
    if (*given) {
        // Refuse a bad --sample before Blender is started.
        if (auto chosen = estimate_sample_frames(frames, a.sample); !chosen) {
            return fail(chosen.error().message, exit_code(chosen.error().kind));
        }
    }
    auto table = estimate::load_price_table(a.prices.empty() ? std::nullopt
                                                             : std::optional<fs::path>(a.prices));
    if (!table) return fail(table.error().message, k_exit_usage);
    auto choice = machine_choice(a.machines);
    if (!choice) return fail(choice.error().message, exit_code(choice.error().kind));
    auto pricing = resolve_pricing(*table, *choice, a.on_demand, a.speed_factor, local_threads(a));
    if (!pricing) return fail(pricing.error().message, exit_code(pricing.error().kind));
    apply_ec2_spot_price(*pricing, *table, o.aws, a.live_prices);
    if (!a.manager.empty()) return estimate_on_farm(o, *settings, frames, *pricing);

    auto options = session_options(a, *settings);
    if (!options) return fail(options.error().message, exit_code(options.error().kind));
    auto sample = render_samples(a, *options, frames);
    if (!sample) return fail(sample.error().message, exit_code(sample.error().kind));
    auto report = make_estimate_report(frames, std::move(*sample), *pricing, a, wall_now_ms());
    if (!report) return fail(report.error().message, exit_code(report.error().kind));
    print_report(*report, a.json);
    return k_exit_ok;
}

}  // namespace

void add_estimate_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<EstimateOptions>();
    EstimateArgs* args = &options->args;
    CLI::App* cmd = app.add_subcommand(
        "estimate",
        "Estimate how long an animation takes to render and what it costs on a fleet.\n"
        "Renders a few sample frames here as the job would, then extrapolates: total render\n"
        "time with an interval, running length, finish time, and wall time and cost on\n"
        "1, 5, 10, 25 and 50 instances.");
    cmd->footer(std::string(k_estimate_footer) + k_client_config_help);
    // The job's own flags, as `spotfarm submit` takes them: the samples render as it would.
    add_render_flags(
        *cmd, args->render,
        {.frames = Need::optional, .output = Need::absent, .priority = false, .name = false});
    cmd->add_option("--sample", args->sample,
                    "Frames to render as samples (default: about the square root of the frame "
                    "count, 3 to 10)")
        ->check(CLI::PositiveNumber);
    // The fleet's machines, chosen as `cloud up` and `render --cloud aws` choose them.
    cmd->add_option("--cloud", args->cloud, "The cloud to price the fleet in: aws (the only one)")
        ->check(CLI::IsMember({"aws"}));
    add_machine_flags(*cmd, args->machines);
    cmd->add_option("--count", args->count, "A fleet size to add to the table")
        ->check(CLI::PositiveNumber);
    auto* spot = cmd->add_flag("--spot", args->spot,
                               "Price Spot instances (the default): EC2's current price when AWS "
                               "credentials are at hand, else the table's typical discount");
    auto* on_demand = cmd->add_flag("--on-demand", args->on_demand, "Price on-demand instances");
    spot->excludes(on_demand);
    cmd->add_option("--speed-factor", args->speed_factor,
                    "How many times faster an instance renders than this machine (default: its "
                    "vCPUs / this machine's threads)");
    cmd->add_option("--prices", args->prices,
                    "Price table file in the format of data/aws-prices.json (default: built-in)");
    cmd->add_option("--confidence", args->confidence, "Confidence of the interval")
        ->capture_default_str();
    cmd->add_option("--startup-seconds", args->startup_seconds,
                    "Seconds a worker takes to boot and start before it loads the scene")
        ->capture_default_str();
    cmd->add_option("--sample-output", args->sample_output,
                    "With --manager: a folder every worker can write (shared storage) for the "
                    "sample images, which are deleted afterwards (default: a temporary folder "
                    "here)");
    cmd->add_flag("--live-prices", args->live_prices,
                  "Ask EC2 for the current Spot price even when no AWS keys are found in the "
                  "environment or ~/.aws (tries the instance role too)");
    add_aws_flags(*cmd, options->aws);
    add_client_options(*cmd, options->client);
    cmd->add_flag("--json", args->json, "Print the estimate as JSON");
    cmd->callback([options, &exit_code] { exit_code = run_estimate(*options); });
}

}  // namespace spotfarm::cli
