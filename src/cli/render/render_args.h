#pragma once
// The flags of `spotfarm render`: the render flags every command shares (common/render_flags.h)
// and those of the farm.

#include <string>

#include "cli/client/client_config.h"
#include "cli/common/render_flags.h"
#include "cli/render/render_cloud.h"

namespace spotfarm::cli {

struct RenderArgs {
    RenderFlags render;
    int workers = 0;
    int lease_timeout = 30;
    std::string state_dir;
    bool json = false;
    CloudRenderFlags cloud;
    // --manager: render on that farm instead (submit, follow, download the frames into -o).
    ClientFlags client;
};

}  // namespace spotfarm::cli
