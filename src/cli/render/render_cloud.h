#pragma once
// The flags of `spotfarm render ... --cloud aws`: the same job as a local render, on a fleet of
// EC2 instances that the command starts, follows and deletes (farm_render.h). The instances reach
// the manager in the command at --manager-url and write their frames to the output folder, which
// must be the same path on every machine (EFS mounted at the same place, see docs/cloud.md).

#include <string>

#include <CLI/CLI.hpp>

#include "cli/daemons/manager_fleet.h"

namespace spotfarm::cli {

struct CloudRenderFlags {
    std::string cloud;  // "aws", "slurm" or "ssh"; empty: render on this machine
    int count = 0;
    bool keep_fleet = false;
    std::string listen = "0.0.0.0:8420";
    ManagerFleetFlags fleet;
    bool enabled() const { return !cloud.empty(); }
};

void add_render_cloud_flags(CLI::App& render, CloudRenderFlags& flags);

}  // namespace spotfarm::cli
