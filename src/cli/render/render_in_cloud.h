#pragma once
// `spotfarm render SCENE --cloud aws --count N` with the manager in the cloud: the scene is
// checked on this machine first (cloud_preflight.h), then the region's manager instance is
// found or launched (cloud_manager.h), the scene's files are uploaded to it (transfer mode), its
// own fleet of Spot workers renders, and the frames stream into -o's folder as `render --manager`
// brings them. Once every frame is home and the manager has nothing else to do, its instance is
// ended; a laptop that left (--detach, sleep, a killed command) leaves that to the manager itself
// (--keep-manager-hours) and to `spotfarm sync ID -o DIR --cloud aws`.

#include "cli/render/render_args.h"

namespace spotfarm::cli {

// The exit code, as `render` documents it.
int run_render_in_cloud(const RenderArgs& args);

}  // namespace spotfarm::cli
