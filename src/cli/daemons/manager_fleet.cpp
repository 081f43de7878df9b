#include "cli/daemons/manager_fleet.h"

#include "cli/common/commands.h"
#include "providers/aws/aws_provider.h"
#include "providers/local_provider.h"
#include "util/atomic_file.h"
#include "util/text_file.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;

namespace {

std::chrono::milliseconds seconds(double s) {
    return std::chrono::milliseconds(static_cast<long long>(s * 1000));
}

// The fleet id of this state folder: the flag, else the one kept there, else a new one kept
// there (so a restarted manager looks for the same instances).
util::Result<std::string> fleet_id_for(const ManagerFleetFlags& flags, const fs::path& state_dir) {
    if (!flags.fleet_id.empty()) return flags.fleet_id;
    const fs::path file = state_dir / "fleet-id";
    if (auto kept = util::read_text_file(file, 256); kept) {
        std::string id = *kept;
        while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
        if (!id.empty()) return id;
    }
    std::string id = new_fleet_id();
    if (auto written = util::write_file_atomic(file, id + "\n"); !written) return written.error();
    return id;
}

}  // namespace

void add_fleet_bound_flags(CLI::App& command, ManagerFleetFlags& f) {
    command.add_option("--min", f.min_workers, "workers kept running even with no work")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    command.add_option("--max", f.max_workers, "at most this many workers")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command
        .add_option("--frames-per-worker", f.frames_per_worker,
                    "frames left that justify one more worker")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command
        .add_option("--idle-grace", f.idle_grace_s,
                    "seconds the queue stays empty before idle workers are stopped")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 86400.0));
    command
        .add_option("--register-timeout", f.register_timeout_s,
                    "seconds a launched worker has to register before it is stopped")
        ->capture_default_str()
        ->check(CLI::Range(1.0, 86400.0));
}

void add_fleet_launch_flags(CLI::App& command, ManagerFleetFlags& f) {
    command.add_option("--fleet", f.fleet_id,
                       "fleet id the instances are tagged with (default: made once and kept in "
                       "the state folder)");
    add_launch_flags(command, f.launch, false);
    add_worker_flags(command, f.worker, false, true);
    add_aws_flags(command, f.aws);
}

util::Result<std::string> worker_facing_url(const WorkerFlags& flags,
                                            const manager::ManagerService& service,
                                            const std::string& listen_address) {
    if (!flags.manager_url.empty()) return flags.manager_url;
    if (listen_address == "0.0.0.0" || listen_address == "::") {
        return util::make_error(
            "the manager listens on every address: say which one the instances reach it on "
            "with --manager-url http://PRIVATE-IP:" +
                std::to_string(service.port()),
            util::ErrorKind::invalid);
    }
    return service.url();
}

util::Result<std::unique_ptr<ManagerFleet>> open_manager_fleet(
    const ManagerFleetFlags& flags, const manager::ManagerService& service,
    const fs::path& spotfarm_exe) {
    if (flags.provider != "local" && flags.provider != "aws") {
        return util::make_error("--provider '" + flags.provider + "': use local or aws",
                                util::ErrorKind::invalid);
    }
    manager::FleetRunnerOptions options;
    options.controller.bounds = {
        .min_workers = flags.min_workers,
        .max_workers = flags.max_workers,
        .frames_per_worker = flags.frames_per_worker,
        .idle_grace = seconds(flags.idle_grace_s),
        .register_timeout = seconds(flags.register_timeout_s),
    };
    options.controller.refresh_every = seconds(flags.refresh_s);
    if (auto bounds = core::check_bounds(options.controller.bounds); !bounds) {
        return util::make_error(bounds.error().message, util::ErrorKind::invalid);
    }
    auto fleet = std::make_unique<ManagerFleet>();
    auto id = fleet_id_for(flags, service.state_dir());
    if (!id) return util::make_error(id.error().message, util::ErrorKind::failed);
    fleet->fleet_id = *id;
    auto url = worker_facing_url(flags.worker, service, "");
    if (!url) return url.error();

    if (flags.provider == "local") {
        auto local = providers::local_worker_options(
            spotfarm_exe, *url, service.tokens().worker_join,
            {"--name", "{id}", "--state-dir", (service.state_dir() / "workers" / "{id}").string()});
        local.command.insert(local.command.end(), flags.worker.worker_args.begin(),
                             flags.worker.worker_args.end());
        if (!flags.worker.manager_pin.empty()) {
            local.command.insert(local.command.end(), {"--manager-pin", flags.worker.manager_pin});
        }
        local.log_dir = service.state_dir() / "logs";
        local.fleet_id = fleet->fleet_id;
        fleet->provider =
            std::make_unique<providers::LocalProvider>(util::steady_clock(), std::move(local));
        options.controller.price = manager::free_of_charge();
    } else {
        if (auto checked = aws_fleet_options(flags.launch, "", ""); !checked)
            return checked.error();
        auto session = open_aws_session(flags.aws);
        if (!session) return session.error();
        fleet->aws = std::move(session).value();
        WorkerFlags worker = flags.worker;
        worker.manager_url = *url;
        worker.join_token_file = service.worker_join_token_path().string();
        auto user_data = make_worker_user_data(worker, fleet->aws->region);
        if (!user_data) return user_data.error();

        auto aws = aws_fleet_options(flags.launch, fleet->fleet_id, *user_data);
        if (!aws) return aws.error();
        fleet->provider = std::make_unique<providers::aws::AwsProvider>(
            *fleet->aws->ec2, util::steady_clock(), std::move(aws).value());
        if (auto table = estimate::builtin_price_table(); table)
            options.controller.price = manager::price_from_table(*table);
    }
    options.controller.tags = {{"spotfarm:manager", service.url()}};
    fleet->runner = std::make_unique<manager::FleetRunner>(*fleet->provider, util::steady_clock(),
                                                           std::move(options));
    return fleet;
}

}  // namespace spotfarm::cli
