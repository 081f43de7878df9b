#pragma once
// The flags of `spotfarm render`.

#include <string>

#include "cli/render/render_cloud.h"

namespace spotfarm::cli {

struct RenderArgs {
    std::string scene_file;
    std::string frames;
    std::string output;
    int workers = 0;
    int chunk = 1;
    int priority = 50;
    std::string format;
    std::string engine;
    std::string device = "auto";
    std::string scene;
    std::string resolution;
    int samples = 0;
    int percentage = 0;
    bool allow_scripts = false;
    bool strict = false;
    double frame_timeout = 0;
    double stall_timeout = 600;
    int lease_timeout = 30;
    std::string blender;
    std::string state_dir;
    bool json = false;
    CloudRenderFlags cloud;
};

}  // namespace spotfarm::cli
