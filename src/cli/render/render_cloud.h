#pragma once
// The flags of `spotfarm render ... --cloud aws`. Two ways:
// - the manager in the cloud (the default): a small on-demand instance runs the manager, the
//   scene is uploaded to it, its own fleet renders, the frames stream back (render_in_cloud.h);
// - the manager in this command (--listen or --manager-url, for a machine inside the VPC): the
//   instances reach it at --manager-url and write their frames to the output folder, which must
//   be the same path on every machine (EFS mounted at the same place, see docs/cloud.md).

#include <string>

#include <CLI/CLI.hpp>

#include "cli/daemons/manager_fleet.h"

namespace spotfarm::cli {

struct CloudRenderFlags {
    std::string cloud;  // "aws", "slurm" or "ssh"; empty: render on this machine
    int count = 0;
    bool keep_fleet = false;
    std::string listen;  // the manager in this command: where it listens (0.0.0.0:8420)
    ManagerFleetFlags fleet;
    // The manager in the cloud.
    bool detach = false;            // return once the job is queued
    double keep_manager_hours = 1;  // the manager ends itself after this long with no job
    std::string manager_type = "t3.small";
    std::string spotfarm_url;     // a web folder with spotfarm and its frame-check module
    std::string blender_version;  // the workers' Blender; default: the scene's
    bool enabled() const { return !cloud.empty(); }
    // Whether the manager runs in this command (the way from a machine inside the VPC).
    bool manager_here() const { return !listen.empty() || !fleet.worker.manager_url.empty(); }
};

void add_render_cloud_flags(CLI::App& render, CloudRenderFlags& flags);

}  // namespace spotfarm::cli
