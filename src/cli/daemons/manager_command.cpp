// `spotfarm manager`: runs the manager (the queue, the HTTP API) until SIGTERM or SIGINT.
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

#include "blender/frame_decoder.h"
#include "cli/common/commands.h"
#include "cli/common/listen_address.h"
#include "cli/daemons/manager_fleet.h"
#include "cli/daemons/manager_idle_exit.h"
#include "manager/farm.h"
#include "manager/manager_service.h"
#include "util/atomic_file.h"
#include "util/self_executable.h"
#include "util/text_file.h"
#include "util/tls_identity.h"

namespace spotfarm::cli {
namespace {

struct ManagerArgs {
    std::string state_dir = "spotfarm-manager";
    std::string listen = "127.0.0.1:8420";
    double lease_timeout_s = 60;
    std::size_t max_body_bytes = 1 << 20;
    std::string port_file;
    std::string tls_cert;
    std::string tls_key;
    double exit_when_idle_hours = 0;
    ManagerFleetFlags fleet;
};

// "ADDR:PORT" (IPv6 as "[ADDR]:PORT") into its parts.
int run_manager(const ManagerArgs& args) {
    manager::ManagerOptions options;
    options.state_dir = args.state_dir;
    if (!split_listen(args.listen, options.address, options.port)) {
        std::cerr << "spotfarm manager: --listen '" << args.listen
                  << "' is not ADDRESS:PORT (such as 127.0.0.1:8420 or 0.0.0.0:8420)\n";
        return k_exit_usage;
    }
    options.lease_timeout =
        std::chrono::milliseconds(static_cast<long>(args.lease_timeout_s * 1000));
    options.max_body_bytes = args.max_body_bytes;
    options.frame_check_module = blender::frame_check_module_path().value_or("");
    options.tls_cert_file = args.tls_cert;
    options.tls_key_file = args.tls_key;

    // Signals are taken by sigwait below: blocked here, before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto service = manager::ManagerService::open(options);
    if (!service) {
        std::cerr << "spotfarm manager: " << service.error().message << "\n";
        return k_exit_unavailable;
    }
    manager::ManagerService& m = **service;
    // Its workers trust this manager's certificate by its pin, and nothing else.
    std::string pin;
    if (!args.tls_cert.empty()) {
        auto text = util::read_text_file(args.tls_cert);
        auto read = text ? util::public_key_pin(*text) : util::Result<std::string>(text.error());
        if (!read) {
            std::cerr << "spotfarm manager: --tls-cert: " << read.error().message << "\n";
            return k_exit_usage;
        }
        pin = *read;
    }
    std::unique_ptr<ManagerFleet> fleet;
    if (!args.fleet.provider.empty()) {
        ManagerFleetFlags fleet_flags = args.fleet;
        fleet_flags.worker.manager_pin = pin;
        auto opened = open_manager_fleet(fleet_flags, m, util::self_executable());
        if (!opened) {
            std::cerr << "spotfarm manager: " << opened.error().message << "\n";
            return exit_code(opened.error().kind);
        }
        fleet = std::move(opened).value();
        m.set_fleet(fleet->runner.get());
    }
    if (auto started = m.start(); !started) {
        std::cerr << "spotfarm manager: " << started.error().message << "\n";
        return k_exit_unavailable;
    }
    std::cout << "spotfarm manager listening on " << m.url() << "\n"
              << "state: " << m.state_dir().string()
              << (m.created_tokens() ? " (new tokens were made)" : "") << "\n"
              << m.instructions();
    if (!pin.empty()) {
        std::cout << "TLS pin (clients: --manager-pin or SPOTFARM_MANAGER_PIN): " << pin << "\n";
    }
    std::cout << std::flush;
    if (fleet) {
        std::cout << "fleet " << fleet->fleet_id << " on " << fleet->provider->name() << ": "
                  << args.fleet.min_workers << " to " << args.fleet.max_workers
                  << " workers; GET /api/v1/fleet shows it" << std::endl;
        fleet->runner->start(m);
    }
    // The port file is the signal that the manager is ready, so it comes after everything the
    // manager has to say at start: whoever waits for it also finds the instructions printed.
    if (!args.port_file.empty()) {
        if (auto written = util::write_file_atomic(args.port_file, std::to_string(m.port()) + "\n");
            !written) {
            std::cerr << "spotfarm manager: " << written.error().message << "\n";
            m.stop();
            return k_exit_failure;
        }
    }

    // Ends this process as a signal would, so the stop below is the one way out.
    std::optional<IdleExitWatch> idle_exit;
    if (args.exit_when_idle_hours > 0) {
        idle_exit.emplace(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double, std::ratio<3600>>(args.exit_when_idle_hours)),
            std::chrono::seconds(30),
            [&m] {
                return m.with_farm([](manager::Farm& farm) {
                    int busy = 0;
                    for (const auto& job : farm.list_jobs()) {
                        busy += job.status == core::JobStatus::queued ||
                                job.status == core::JobStatus::active ||
                                job.status == core::JobStatus::paused;
                    }
                    return busy;
                });
            },
            [] {
                spdlog::info(
                    "no job has been queued, running or paused for --exit-when-idle: "
                    "the manager ends itself");
                ::kill(::getpid(), SIGTERM);
            });
    }

    int received = 0;
    sigwait(&signals, &received);
    idle_exit.reset();  // it asks the service, which stops below
    spdlog::info("{} received: stopping the manager", received == SIGINT ? "SIGINT" : "SIGTERM");
    // The fleet's instances stay: a manager started again on this state folder finds them by
    // their tag (`spotfarm cloud down --fleet ID` ends them).
    if (fleet) fleet->runner->stop();
    m.stop();
    m.join();
    return k_exit_ok;
}

}  // namespace

void add_manager_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ManagerArgs>();
    CLI::App* cmd = app.add_subcommand(
        "manager", "Run the manager: the job queue and the HTTP API that workers and people use");
    cmd->add_option("--state-dir", args->state_dir,
                    "folder of the manager's database and token files (made on first start)")
        ->capture_default_str();
    cmd->add_option("--listen", args->listen, "ADDRESS:PORT to serve on (port 0: any free port)")
        ->capture_default_str();
    cmd->add_option("--lease-timeout", args->lease_timeout_s,
                    "seconds without word from a worker before its task is queued again")
        ->check(CLI::Range(1.0, 86400.0))
        ->capture_default_str();
    cmd->add_option("--max-body", args->max_body_bytes, "largest request body in bytes")
        ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
        ->capture_default_str();
    cmd->add_option("--port-file", args->port_file,
                    "write the port to this file once listening (useful with port 0)");
    cmd->add_option("--tls-cert", args->tls_cert,
                    "serve HTTPS with this PEM certificate (with --tls-key); clients trust it by "
                    "the pin the manager prints at start")
        ->check(CLI::ExistingFile);
    cmd->add_option("--tls-key", args->tls_key, "the PEM private key of --tls-cert")
        ->check(CLI::ExistingFile);
    cmd->add_option("--exit-when-idle", args->exit_when_idle_hours,
                    "end the manager once no job has been queued, running or paused for this "
                    "many hours (a manager in the cloud; its state folder keeps everything)")
        ->check(CLI::Range(0.0, 24.0 * 365));
    cmd->add_option("--provider", args->fleet.provider,
                    "run a fleet of workers that follows the queue: local (processes here), "
                    "aws (EC2 Spot), slurm (Slurm job arrays; docs/slurm.md) or ssh (any "
                    "machines over SSH; docs/ssh.md)")
        ->check(CLI::IsMember({"local", "aws", "slurm", "ssh"}));
    add_fleet_bound_flags(*cmd, args->fleet);
    add_fleet_launch_flags(*cmd, args->fleet);
    add_slurm_flags(*cmd, args->fleet.slurm);
    cmd->add_option("--hosts", args->fleet.ssh_hosts,
                    "hosts file of an SSH fleet (--provider ssh): one [[host]] table per machine")
        ->check(CLI::ExistingFile)
        ->group("SSH (--provider ssh)");
    cmd->add_option("--ssh-config", args->fleet.ssh_config,
                    "ssh configuration file (ssh -F) instead of ~/.ssh/config")
        ->check(CLI::ExistingFile)
        ->group("SSH (--provider ssh)");
    cmd->footer(R"(
Fleet (--provider): once a second the manager compares the work left with its workers and
  launches or stops workers through the provider: wanted = frames left / --frames-per-worker,
  within --min and --max. Interrupted instances are replaced while work is left; an instance
  whose worker does not register within --register-timeout is stopped; once nothing has been
  queued for --idle-grace seconds the idle workers are stopped (down to --min). The fleet id is
  kept in the state folder: a manager restarted on it finds its running instances by their tag.
  GET /api/v1/fleet shows the instances and their cost, GET /api/v1/jobs/ID/cost a job's.

TLS: on loopback and private networks the manager speaks plain HTTP. Given --tls-cert and
  --tls-key it speaks HTTPS only; a self-signed certificate is meant, trusted by its pin:
  clients take --manager-pin (or SPOTFARM_MANAGER_PIN, or manager_pin in the config file),
  workers take --manager-pin. A render with --cloud aws makes the key, the certificate and the
  pin on the laptop before the manager's instance is launched.

Examples:
  spotfarm manager --state-dir /srv/spotfarm --listen 0.0.0.0:8420 --provider aws \
      --manager-url http://10.0.1.5:8420 --ami ami-0123456789abcdef0 --instance-type c7i.4xlarge \
      --max 10 --frames-per-worker 5 --idle-grace 300 --efs fs-0123456789abcdef0
  spotfarm manager --state-dir /shared/farm --listen 0.0.0.0:8420 --provider slurm \
      --manager-url http://login1:8420 --partition gpu --time-limit 2:00:00 --gres gpu:1 --max 20
  spotfarm manager --state-dir ~/farm --listen 0.0.0.0:8420 --provider ssh --hosts hosts.toml \
      --manager-url http://10.0.0.100:8420 --max 10
)");
    cmd->callback([args, &exit_code] { exit_code = run_manager(*args); });
}

}  // namespace spotfarm::cli
