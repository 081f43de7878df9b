#include "cli/render/render_in_cloud.h"

#include <cmath>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "blender/blend_header.h"
#include "blender/blender_install.h"
#include "blender/dependency_list.h"
#include "blender/frame_decoder.h"
#include "cli/client/wire_answer.h"
#include "cli/cloud/cloud_context.h"
#include "cli/cloud/cloud_manager.h"
#include "cli/cloud/cloud_preflight.h"
#include "cli/cloud/cloud_services.h"
#include "cli/common/commands.h"
#include "cli/jobs/submit.h"
#include "protocol/job_summary.h"
#include "providers/aws/cloud_setup.h"
#include "providers/aws/cloud_setup_record.h"
#include "providers/aws/ssm_ami.h"
#include "util/file_hash.h"
#include "util/http_client.h"
#include "util/self_executable.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_default_worker_type = "c7i.4xlarge";

util::Result<PreflightPlan> check_scene(const RenderArgs& a, const std::string& worker_type) {
    std::error_code ec;
    auto job = job_submission(a.render, fs::current_path(ec));
    if (!job) return job.error();
    const fs::path scene = job->settings.scene;
    PreflightInput in;
    auto version = blender::read_blend_version(scene);
    if (!version) return version.error();
    in.scene = *version;
    if (!a.cloud.blender_version.empty()) {
        auto requested = parse_blender_release(a.cloud.blender_version);
        if (!requested) return requested.error();
        in.requested = *requested;
    }
    in.format = a.render.format;
    in.engine = a.render.engine;
    in.device = a.render.device;
    in.instance_type = worker_type;
    // What the header and the flags tell is checked before Blender starts to list the files.
    if (auto early = preflight(in); !early) return early.error();
    auto found = blender::find_blender(blender::blender_search_from_env(a.render.blender));
    if (!found) {
        return util::make_error(
            "the scene's files are listed with Blender on this machine: " + found.error().message,
            found.error().kind);
    }
    blender::SessionOptions session;
    session.launch.blender = *found;
    session.launch.scene_file = scene;
    session.launch.allow_scripts = a.render.allow_scripts;
    auto deps = blender::list_dependencies(session);
    if (!deps) return deps.error();
    in.dependencies = std::move(deps).value();
    return preflight(in);
}

// spotfarm and its frame-check module as the manager's instance downloads them from
// --spotfarm-url: the files of this machine, so that both ends speak the same protocol.
util::Status add_downloads(const RenderArgs& a, CloudManagerPlan& plan) {
    std::string base = a.cloud.spotfarm_url;
    if (base.empty()) {
        return util::make_error(
            "--spotfarm-url: the manager's instance downloads spotfarm from a web folder: put "
            "this machine's " +
                util::self_executable().string() + " and " + std::string(util::k_frame_check_file) +
                " (built for Debian 12, x86-64) there and give its URL",
            util::ErrorKind::invalid);
    }
    while (base.ends_with("/")) base.pop_back();
    auto binary = util::hash_file(util::self_executable());
    if (!binary) return binary.error();
    auto module_path = blender::frame_check_module_path();
    if (!module_path) {
        return util::make_error(std::string(util::k_frame_check_file) +
                                    " is not beside this spotfarm; reinstall spotfarm",
                                util::ErrorKind::unavailable);
    }
    auto module = util::hash_file(*module_path);
    if (!module) return module.error();
    plan.binary_url = base + "/spotfarm";
    plan.binary_sha256 = binary->sha256;
    plan.frame_check_url = base + "/" + std::string(util::k_frame_check_file);
    plan.frame_check_sha256 = module->sha256;
    return {};
}

// `spotfarm manager`'s fleet flags on the instance: Spot workers in every subnet of the setup,
// in the workers' group, with EFS.
std::vector<std::string> fleet_args(const RenderArgs& a, const providers::aws::CloudSetupRecord& s,
                                    const std::string& worker_type, const std::string& ami,
                                    const std::string& region) {
    const auto& c = a.cloud;
    std::vector<std::string> args = {"--provider",
                                     "aws",
                                     "--region",
                                     region,
                                     "--max",
                                     std::to_string(c.count),
                                     "--idle-grace",
                                     "60",
                                     "--instance-type",
                                     worker_type,
                                     "--ami",
                                     ami,
                                     "--security-group",
                                     s.worker_security_group,
                                     "--efs",
                                     s.efs_id};
    for (const auto& subnet : s.subnet_ids) {
        args.push_back("--subnet");
        args.push_back(subnet);
    }
    args.push_back(fmt::format("--exit-when-idle={:.2f}", c.keep_manager_hours));
    return args;
}

// Whether any job on the manager is queued, running or paused.
util::Result<bool> manager_busy(const CloudManagerRecord& record) {
    util::CurlHttpClient http(util::TlsTrust{record.pin});
    ApiClient api(http, client_config_of(record, "the record"));
    auto jobs = get_answer<protocol::JobList>(api, "/jobs");
    if (!jobs) return jobs.error();
    for (const auto& job : jobs->jobs) {
        if (job.status == core::JobStatus::queued || job.status == core::JobStatus::active ||
            job.status == core::JobStatus::paused) {
            return true;
        }
    }
    return false;
}

}  // namespace

int run_render_in_cloud(const RenderArgs& a) {
    auto fail = [](const util::Error& error) {
        std::cerr << "spotfarm render: " << error.message << "\n";
        return exit_code(error.kind);
    };
    const CloudRenderFlags& c = a.cloud;
    if (c.count < 1) {
        return fail(util::make_error("--cloud needs --count N (N >= 1)", util::ErrorKind::invalid));
    }
    const std::string worker_type = c.fleet.launch.instance_types.empty()
                                        ? k_default_worker_type
                                        : c.fleet.launch.instance_types.front();
    auto say = [&a](std::string_view line) {
        if (!a.json) std::cerr << line << "\n";
    };

    // Everything that can be checked here is, before anything bills.
    auto checked = check_scene(a, worker_type);
    if (!checked) return fail(checked.error());
    say(fmt::format("Scene checked: the workers run Blender {}{}", checked->blender.text(),
                    checked->device.empty() ? "" : ", device " + checked->device));
    auto cloud = open_cloud_services(c.fleet.aws);
    if (!cloud) return fail(cloud.error());
    AwsSession& session = *cloud->session;
    const std::string region = session.region;
    // Setup runs once per region; later renders find what it recorded.
    auto setup = providers::aws::load_cloud_setup(region);
    if (!setup) return fail(setup.error());
    if (!*setup) {
        say("Nothing is set up for spotfarm in " + region + " yet: setting it up (once)");
        auto made = providers::aws::ensure_cloud_setup(*cloud->aws, {}, say);
        if (!made) return fail(made.error());
        *setup = *made;
    }
    // The images from AWS's public parameters, unless --ami names the workers'.
    namespace aws = providers::aws;
    auto manager_ami = aws::resolve_ami(*cloud->aws->ssm, aws::CpuArch::x86_64, false);
    if (!manager_ami) return fail(manager_ami.error());
    std::string worker_ami = c.fleet.launch.ami;
    if (worker_ami.empty()) {
        auto found = aws::resolve_ami(*cloud->aws->ssm, aws::CpuArch::x86_64,
                                      !instance_gpu_vendor(worker_type).empty());
        if (!found) return fail(found.error());
        worker_ami = *found;
    }
    CloudManagerPlan plan;
    plan.setup = **setup;
    plan.image_id = *manager_ami;
    plan.instance_type = c.manager_type;
    plan.manager_args = fleet_args(a, **setup, worker_type, worker_ami, region);
    if (auto downloads = add_downloads(a, plan); !downloads) return fail(downloads.error());

    const auto env = process_environment();
    const fs::path records = cloud_state_dir(env.getenv, env.home);
    auto record = ensure_cloud_manager(
        {*session.ec2, util::steady_clock(), session.sleeper, probe_over_tls, say}, plan, records);
    if (!record) return fail(record.error());

    SubmitOptions s;
    s.render = a.render;
    s.client.manager = record->url;
    s.client.token = record->people_token;
    s.client.manager_pin = record->pin;
    s.json = a.json;
    s.transfer = true;
    s.follow = !c.detach;
    const int code = run_submit(s);
    if (code != k_exit_ok || c.detach) return code;

    // Every frame is home: the manager is ended at once unless another job keeps it.
    auto busy = manager_busy(*record);
    if (busy && !*busy) {
        if (auto stopped = stop_cloud_manager(*session.ec2, *record, records); stopped) {
            say("Every frame is here; the manager " + record->instance_id + " was terminated.");
        } else {
            say("the manager could not be ended: " + stopped.error().message +
                "; it ends itself after --keep-manager-hours");
        }
    }
    return code;
}

}  // namespace spotfarm::cli
