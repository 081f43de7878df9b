#pragma once
// The one loop that brings a transfer job's frames home, for `spotfarm sync`, `submit --follow`
// and `render --manager`: one pass, or passes as frames finish until the job ends (Ctrl-C stops
// following; the job goes on). Prints what it downloads and a summary.

#include <cstdint>
#include <filesystem>
#include <iosfwd>

#include "cli/client/api_client.h"

namespace spotfarm::cli {

struct SyncRunOptions {
    std::int64_t job = 0;
    std::filesystem::path dir;
    int jobs = 4;         // downloads at once
    bool follow = false;  // until the job ends
    bool json = false;    // a JSON summary on `out` instead of text
};

// The exit code: 0 every frame listed (with follow: every frame of a completed job) is in the
// folder; 1 a download failed (named on `err`, a second run resumes) or the job failed or was
// canceled; 2 bad input; 3 the manager could not be reached; 130 interrupted.
int run_sync(ApiClient& api, const SyncRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace spotfarm::cli
