#include "cli/render/render_cloud.h"

namespace spotfarm::cli {

void add_render_cloud_flags(CLI::App& render, CloudRenderFlags& f) {
    render
        .add_option("--cloud", f.cloud,
                    "render on a fleet instead of here: aws (EC2 Spot), slurm (Slurm job arrays, "
                    "docs/slurm.md) or ssh (the machines of --hosts, docs/ssh.md)")
        ->check(CLI::IsMember({"aws", "slurm", "ssh"}));
    render.add_flag_callback(
        "--slurm", [&f] { f.cloud = "slurm"; }, "the same as --cloud slurm");
    render.add_option("--count", f.count, "--cloud: how many instances at most")
        ->check(CLI::PositiveNumber);
    render.add_flag("--keep-fleet", f.keep_fleet,
                    "--cloud: leave the instances running at the end (for the next job)");
    render.add_option("--listen", f.listen,
                      "--cloud: run the manager in this command, serving the instances on "
                      "ADDRESS:PORT (such as 0.0.0.0:8420; from a machine inside the VPC)");
    render.add_flag("--detach", f.detach,
                    "--cloud: return once the job is queued; `spotfarm sync ID -o DIR --cloud "
                    "aws` brings the frames later");
    render
        .add_option("--keep-manager-hours", f.keep_manager_hours,
                    "--cloud: the manager's instance ends itself after this long with no job")
        ->check(CLI::Range(0.05, 24.0 * 30))
        ->capture_default_str();
    render.add_option("--manager-type", f.manager_type, "--cloud: the manager's instance type")
        ->capture_default_str();
    render.add_option("--spotfarm-url", f.spotfarm_url,
                      "--cloud: web folder the manager's instance downloads spotfarm and "
                      "spotfarm_frame_check.so from (checked against this machine's own)");
    render.add_option("--blender-version", f.blender_version,
                      "--cloud: the workers' Blender, such as 4.2 (default: the version that "
                      "saved the scene)");
    render
        .add_option("--register-timeout", f.fleet.register_timeout_s,
                    "--cloud: seconds an instance has to register before it is terminated")
        ->capture_default_str();
    add_fleet_launch_flags(render, f.fleet);
    add_slurm_flags(render, f.fleet.slurm);
    render.add_option("--hosts", f.fleet.ssh_hosts, "--cloud ssh: the hosts file (docs/ssh.md)")
        ->check(CLI::ExistingFile);
    render
        .add_option("--ssh-config", f.fleet.ssh_config,
                    "--cloud ssh: ssh configuration file (ssh -F) instead of ~/.ssh/config")
        ->check(CLI::ExistingFile);
}

}  // namespace spotfarm::cli
