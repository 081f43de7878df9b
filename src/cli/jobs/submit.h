#pragma once
// `spotfarm submit` as a function, so `spotfarm render --manager` submits, follows and brings the
// frames home with the same code.

#include <string>
#include <vector>

#include "cli/client/client_config.h"
#include "cli/common/render_flags.h"

namespace spotfarm::cli {

struct SubmitOptions {
    RenderFlags render;
    ClientFlags client;
    bool json = false;
    bool transfer = false;  // force transfer mode
    bool shared = false;    // force shared storage
    bool allow_missing = false;
    std::vector<std::string> includes;
    bool follow = false;  // until the job ends, downloading its frames (transfer mode)
};

// Submits the job (in transfer mode when the manager cannot see the scene, or when forced),
// prints what it did, and with `follow` downloads the frames until the job ends. The exit code.
int run_submit(const SubmitOptions& options);

}  // namespace spotfarm::cli
