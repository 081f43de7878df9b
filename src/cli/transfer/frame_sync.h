#pragma once
// Brings a transfer job's frames home (docs/transfer.md): the frames the manager holds that a
// folder lacks, or holds with other bytes, downloaded a few at a time, each ranged, resumable
// (`<name>.part`) and checked against its SHA-256 before it takes its name.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cli/client/api_client.h"
#include "protocol/transfer.h"
#include "util/http_client.h"
#include "util/result.h"

namespace spotfarm::cli {

struct FrameSyncOptions {
    std::filesystem::path dir;      // where the frames go
    int jobs = 4;                   // downloads at once
    std::function<bool()> abandon;  // as HttpRequest::abandon
};

struct FailedFrame {
    protocol::FrameFile frame;
    std::string error;
};

// One pass over the frames the manager lists.
struct SyncRound {
    std::vector<protocol::FrameFile> downloaded;
    std::size_t present = 0;  // already in the folder with the right bytes
    std::vector<FailedFrame> failed;
    std::int64_t bytes = 0;  // over the network
    double seconds = 0;
    std::size_t listed = 0;
};

// Keeps, between passes, which frames it has seen whole in the folder, so following a job does
// not hash every frame again each time.
class FrameSync {
public:
    FrameSync(ApiClient& api, FrameSyncOptions options);

    // Lists the job's frames (GET /jobs/{id}/frames) and downloads those the folder lacks. The
    // Error is the listing's (manager unreachable, no such job); a frame that fails to download
    // is in `failed`, its partial file kept for the next pass.
    util::Result<SyncRound> sync(std::int64_t job);

private:
    bool in_place(const protocol::FrameFile& frame);

    ApiClient& m_api;
    FrameSyncOptions m_options;
    std::mutex m_mutex;
    std::set<std::pair<std::string, std::string>> m_verified;  // name, hash
};

}  // namespace spotfarm::cli
