#include "cli/daemons/manager_fleet.h"

#include <unistd.h>

#include "blender/frame_decoder.h"
#include "cli/common/commands.h"
#include "cli/daemons/ssh_hosts.h"
#include "providers/aws/aws_provider.h"
#include "providers/local_provider.h"
#include "providers/slurm/slurm_provider.h"
#include "providers/ssh/ssh_provider.h"
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

// The Slurm provider's options: the flags, and the worker each array task runs. Its state and
// log live under the manager's state folder, which the compute nodes must reach (shared storage).
util::Result<providers::slurm::SlurmOptions> slurm_fleet_options(
    const ManagerFleetFlags& flags, const manager::ManagerService& service,
    const fs::path& spotfarm_exe, const std::string& url, const std::string& fleet_id) {
    auto options = slurm_options(flags.slurm);
    if (!options) return options.error();
    options->fleet_id = fleet_id;
    options->work_dir = fs::absolute(service.state_dir()) / "slurm";
    const std::string exe =
        flags.slurm.spotfarm_path.empty() ? spotfarm_exe.string() : flags.slurm.spotfarm_path;
    options->worker_command = {
        exe,      "worker",     "--manager",   url,
        "--name", "slurm-{id}", "--state-dir", (options->work_dir / "workers" / "{id}").string()};
    options->worker_command.insert(options->worker_command.end(), flags.worker.worker_args.begin(),
                                   flags.worker.worker_args.end());
    options->env = {{"SPOTFARM_JOIN_TOKEN", service.tokens().worker_join}};
    return options;
}

// The SSH provider's options: the hosts file, this binary to copy, the manager's address for
// hosts that reach it and for the tunnels of those that do not.
util::Result<providers::ssh::SshOptions> ssh_fleet_options(const ManagerFleetFlags& flags,
                                                           const manager::ManagerService& service,
                                                           const fs::path& spotfarm_exe,
                                                           const std::string& url,
                                                           const std::string& fleet_id) {
    if (flags.ssh_hosts.empty()) {
        return util::make_error("--provider ssh needs --hosts FILE (see docs/ssh.md)",
                                util::ErrorKind::invalid);
    }
    auto hosts = read_ssh_hosts(flags.ssh_hosts);
    if (!hosts) return util::make_error(hosts.error().message, util::ErrorKind::invalid);
    providers::ssh::SshOptions o;
    o.hosts = std::move(hosts).value();
    o.fleet_id = fleet_id;
    o.manager_url = url;
    o.tunnel_target = "127.0.0.1:" + std::to_string(service.port());
    o.join_token = service.tokens().worker_join;
    o.local_spotfarm = spotfarm_exe;
    if (auto module = blender::frame_check_module_path()) o.companions.push_back(*module);
    o.local_version = std::string("spotfarm ") + SPOTFARM_VERSION;
    o.worker_args = flags.worker.worker_args;
    o.log_dir = service.state_dir() / "logs";
    // A socket path has at most 107 bytes: the state folder may be too deep for one.
    o.ssh.control_dir = fs::temp_directory_path() / ("spotfarm-ssh-" + std::to_string(::getuid()));
    std::error_code ec;
    fs::create_directories(o.ssh.control_dir, ec);
    fs::permissions(o.ssh.control_dir, fs::perms::owner_all, ec);
    o.ssh.config_file = flags.ssh_config;
    return o;
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
    if (flags.provider != "local" && flags.provider != "aws" && flags.provider != "slurm" &&
        flags.provider != "ssh") {
        return util::make_error("--provider '" + flags.provider + "': use local, aws, slurm or ssh",
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
    } else if (flags.provider == "slurm") {
        auto slurm = slurm_fleet_options(flags, service, spotfarm_exe, *url, fleet->fleet_id);
        if (!slurm) return slurm.error();
        fleet->commands = std::make_unique<providers::ProcessCommandRunner>();
        fleet->provider = std::make_unique<providers::slurm::SlurmProvider>(
            *fleet->commands, util::steady_clock(), std::move(slurm).value());
        options.controller.price = manager::free_of_charge();
    } else if (flags.provider == "ssh") {
        auto ssh = ssh_fleet_options(flags, service, spotfarm_exe, *url, fleet->fleet_id);
        if (!ssh) return ssh.error();
        fleet->commands = std::make_unique<providers::ProcessCommandRunner>();
        fleet->sessions = std::make_unique<providers::ssh::ProcessSessionStarter>();
        fleet->provider = std::make_unique<providers::ssh::SshProvider>(
            *fleet->commands, *fleet->sessions, util::steady_clock(), std::move(ssh).value());
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
