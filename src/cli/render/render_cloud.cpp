#include "cli/render/render_cloud.h"

#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/client/api_client.h"
#include "cli/common/commands.h"
#include "util/http_client.h"
#include "util/stop_signals.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr auto k_fleet_gone_wait = 120s;  // for the provider to confirm every termination

bool split_address(const std::string& text, std::string& address, std::uint16_t& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    address = text.substr(0, colon);
    if (address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
    try {
        const unsigned long value = std::stoul(text.substr(colon + 1));
        if (value > 65535) return false;
        port = static_cast<std::uint16_t>(value);
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

int fail(const util::Error& error) {
    std::cerr << "spotfarm render: " << error.message << "\n";
    return exit_code(error.kind);
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

struct MarketCounts {
    int spot = 0;
    int on_demand = 0;
};

// How many of the fleet's instances ran as Spot and as on-demand (from GET /fleet's list).
MarketCounts market_counts(const json& fleet) {
    MarketCounts counts;
    for (const auto& instance : fleet.value("instances", json::array()))
        ++(instance.value("interruptible", false) ? counts.spot : counts.on_demand);
    return counts;
}

}  // namespace

void add_render_cloud_flags(CLI::App& render, CloudRenderFlags& f) {
    render.add_option("--cloud", f.cloud, "render on a fleet in this cloud instead of here: aws")
        ->check(CLI::IsMember({"aws"}));
    render.add_option("--count", f.count, "--cloud: how many instances at most")
        ->check(CLI::PositiveNumber);
    render.add_flag("--keep-fleet", f.keep_fleet,
                    "--cloud: leave the instances running at the end (for the next job)");
    render.add_option("--listen", f.listen,
                      "--cloud: ADDRESS:PORT the manager in this command serves the instances on")
        ->capture_default_str();
    render.add_option("--register-timeout", f.fleet.register_timeout_s,
                      "--cloud: seconds an instance has to register before it is terminated")
        ->capture_default_str();
    add_fleet_launch_flags(render, f.fleet);
}

int run_render_cloud(const CloudRenderFlags& f, const CloudRenderJob& job) {
    if (f.count < 1) return fail(util::make_error("--cloud needs --count N (N >= 1)", util::ErrorKind::invalid));
    // The manager's and the fleet's log lines are for people watching: stdout carries only the
    // answer (with --json, nothing but the JSON).
    spdlog::set_default_logger(spdlog::stderr_color_mt("render"));
    manager::ManagerOptions options;
    options.state_dir = job.state_dir.empty() ? job.output_dir / ".spotfarm-cloud" : job.state_dir;
    if (!split_address(f.listen, options.address, options.port))
        return fail(util::make_error("--listen '" + f.listen + "' is not ADDRESS:PORT", util::ErrorKind::invalid));
    util::StopSignals stop;
    auto service = manager::ManagerService::open(options);
    if (!service) return fail(util::make_error(service.error().message, util::ErrorKind::unavailable));
    manager::ManagerService& m = **service;

    ManagerFleetFlags fleet_flags = f.fleet;
    fleet_flags.provider = f.cloud;
    fleet_flags.min_workers = 0;
    fleet_flags.max_workers = f.count;
    // Every instance asked for while frames are left, one frame each at least.
    fleet_flags.frames_per_worker =
        std::max<int>(1, static_cast<int>((job.frames.size() + f.count - 1) / f.count));
    fleet_flags.idle_grace_s = 60;
    // One render's fleet is small: look often, so an interrupted instance is replaced quickly.
    fleet_flags.refresh_s = 3;
    if (fleet_flags.worker.manager_url.empty()) {
        auto url = worker_facing_url(fleet_flags.worker, m, options.address);
        if (!url) return fail(url.error());
        fleet_flags.worker.manager_url = *url;
    }
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    auto opened = open_manager_fleet(fleet_flags, m, ec ? fs::path("spotfarm") : self);
    if (!opened) return fail(opened.error());
    ManagerFleet& fleet = **opened;
    // One call before anything is launched: bad credentials or permissions end here, with
    // EC2's own words, and instances of an earlier run of this fleet show up.
    if (auto listed = fleet.provider->list_workers(); !listed) {
        return fail(util::make_error("cannot use " + std::string(fleet.provider->name()) + ": " +
                                         listed.error().message, util::ErrorKind::failed));
    }
    m.set_fleet(fleet.runner.get());
    if (auto started = m.start(); !started) return fail(started.error());

    util::CurlHttpClient http;
    ApiClient api(http, {m.url(), m.tokens().person, "--cloud", "the manager's state"});
    json spec = job.spec;
    spec.erase("threads");  // each instance renders with all of its own cores
    auto submitted = api.post("/jobs", spec);
    if (!submitted) return fail(submitted.error());
    const std::int64_t id = submitted->value("id", std::int64_t{0});
    if (!job.json)
        std::cerr << fmt::format("Rendering {} frames on up to {} {} instance(s), fleet {}; state in {}\n",
                                 job.frames.size(), f.count, f.cloud, fleet.fleet_id,
                                 options.state_dir.string());
    fleet.runner->start(m);

    const auto started_at = std::chrono::steady_clock::now();
    std::string status;
    std::string error;
    std::string shown;
    while (true) {
        if (stop.raised()) {
            error = "interrupted";
            break;
        }
        auto answer = api.get("/jobs/" + std::to_string(id));
        if (answer) {
            status = answer->value("status", "");
            const json fleet_now = fleet.runner->fleet_json();
            if (fleet_now.contains("launch_stopped")) {
                error = fleet_now["launch_stopped"].get<std::string>();
                break;
            }
            std::string line = fmt::format("{}: {} of {} frames done, {} instance(s) live",
                                           status, answer->value("frames_done", 0),
                                           job.frames.size(), fleet_now.value("live", 0));
            if (line != shown && !job.json) std::cerr << line << "\n";
            shown = line;
            if (status == "completed" || status == "failed" || status == "canceled") break;
        }
        std::this_thread::sleep_for(500ms);
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    fleet.runner->stop();
    std::vector<std::string> left;
    if (!f.keep_fleet) left = delete_fleet(fleet);
    const manager::FleetCost cost = fleet.runner->cost();
    const MarketCounts markets = market_counts(fleet.runner->fleet_json());
    m.stop();
    m.join();

    const auto missing = job.frames_missing_on_disk();
    const bool ok = error.empty() && status == "completed" && missing.empty() && left.empty();
    if (job.json) {
        std::cout << json{{"job", id},
                          {"status", ok ? "completed" : (error.empty() ? status : error)},
                          {"frames", job.frames.size()},
                          {"frames_missing", missing},
                          {"wall_seconds", wall},
                          {"fleet", fleet.fleet_id},
                          {"instances", {{"spot", markets.spot}, {"on_demand", markets.on_demand}}},
                          {"instance_hours", cost.instance_hours},
                          {"usd", cost.usd},
                          {"cost_notes", cost.notes},
                          {"instances_left", left},
                          {"output", job.pattern}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << fmt::format("{:<18}{}\n", "job", id);
        std::cout << fmt::format("{:<18}{}\n", "status", error.empty() ? status : error);
        std::cout << fmt::format("{:<18}{} of {}\n", "frames on disk",
                                 job.frames.size() - missing.size(), job.frames.size());
        std::cout << fmt::format("{:<18}{:.1f} s\n", "wall time", wall);
        std::cout << fmt::format("{:<18}{} Spot, {} on-demand\n", "instances", markets.spot,
                                 markets.on_demand);
        if (markets.on_demand > 0 && !f.fleet.launch.on_demand)
            std::cout << "  note: EC2 refused Spot capacity, so " << markets.on_demand
                      << " instance(s) ran on-demand, at the on-demand price\n";
        std::cout << fmt::format("{:<18}{:.3f} instance-hours, about ${:.2f}\n", "cost",
                                 cost.instance_hours, cost.usd);
        for (const auto& note : cost.notes) std::cout << "  note: " << note << "\n";
        std::cout << fmt::format("{:<18}{}\n", "output", job.pattern);
        if (f.keep_fleet) {
            std::cout << fmt::format("fleet {} kept; end it with `spotfarm cloud down --fleet {}`\n",
                                     fleet.fleet_id, fleet.fleet_id);
        } else if (!left.empty()) {
            std::cout << "NOT confirmed terminated: ";
            for (const auto& instance : left) std::cout << instance << " ";
            std::cout << "\nRun `spotfarm cloud down --fleet " << fleet.fleet_id << "`.\n";
        } else {
            std::cout << "every instance of fleet " << fleet.fleet_id << " is terminated\n";
        }
    }
    if (error == "interrupted") return stop.exit_code();
    return ok ? k_exit_ok : k_exit_failure;
}

}  // namespace spotfarm::cli
