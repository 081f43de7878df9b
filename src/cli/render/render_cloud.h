#pragma once
// `spotfarm render ... --cloud aws`: the same job as a local render, on a fleet of EC2 instances
// that this command starts, follows and deletes. The manager runs in this process; the instances
// reach it at --manager-url and write their frames to the output folder, which must be the same
// path on every machine (EFS mounted at the same place, see docs/cloud.md).

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/daemons/manager_fleet.h"
#include "core/frame_set.h"

namespace spotfarm::cli {

struct CloudRenderFlags {
    std::string cloud;  // "aws"; empty: render on this machine
    int count = 0;
    bool keep_fleet = false;
    std::string listen = "0.0.0.0:8420";
    ManagerFleetFlags fleet;
    bool enabled() const { return !cloud.empty(); }
};

// The job as `spotfarm render` planned it.
struct CloudRenderJob {
    nlohmann::json spec;  // the body of POST /jobs
    core::FrameSet frames;
    std::string pattern;
    std::filesystem::path output_dir;
    std::filesystem::path state_dir;  // empty: OUTPUT_FOLDER/.spotfarm-cloud
    bool json = false;
    std::function<std::vector<int>()> frames_missing_on_disk;
};

void add_render_cloud_flags(CLI::App& render, CloudRenderFlags& flags);
int run_render_cloud(const CloudRenderFlags& flags, const CloudRenderJob& job);

}  // namespace spotfarm::cli
