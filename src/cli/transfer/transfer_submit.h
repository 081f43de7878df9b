#pragma once
// The transfer half of `spotfarm submit` (docs/transfer.md): whether a job goes in transfer mode
// (the manager cannot see the scene where this machine has it), and, when it does, the scene's
// files listed, laid out as a tree, uploaded, and the job's settings pointed at that tree.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "blender/dependency_list.h"
#include "cli/client/api_client.h"
#include "cli/transfer/uploader.h"
#include "protocol/job_submission.h"
#include "util/result.h"

namespace spotfarm::cli {

enum class StorageMode { shared, transfer };

// --transfer and --shared force one; otherwise POST /paths/check decides: transfer when the
// manager does not see the same file at the scene's path. A manager without that route (older)
// means shared, the only way it knows.
util::Result<StorageMode> choose_storage_mode(ApiClient& api, bool transfer, bool shared,
                                              const std::filesystem::path& scene);

// The SHA-256 of the first MiB of `path` (POST /paths/check's head_sha256) and its size.
util::Result<std::pair<std::string, std::int64_t>> head_digest(const std::filesystem::path& path);

// The files a scene needs (blender::list_dependencies in the command; a list in tests).
using DependencyLister = std::function<util::Result<std::vector<blender::Dependency>>(
    const std::filesystem::path& scene)>;

struct TransferSubmitOptions {
    std::vector<std::filesystem::path> includes;  // absolute
    bool allow_missing = false;
    int connections = 4;
    std::function<void(const UploadProgress&)> progress;
};

struct PreparedTransfer {
    UploadReport upload;
    std::filesystem::path local_output;  // the folder -o named, where --follow puts the frames
    std::size_t files = 0;
    std::vector<blender::Dependency> missing;  // left out with --allow-missing
};

// Lists, builds and uploads the tree of `job` (whose scene and output are absolute, as
// job_submission makes them), then rewrites its settings for transfer mode: tree = the tree's
// hash, scene = the scene's path in the tree, output = the file pattern of -o ("frame_####").
util::Result<PreparedTransfer> prepare_transfer(ApiClient& api, protocol::JobSubmission& job,
                                                const DependencyLister& list,
                                                const TransferSubmitOptions& options);

}  // namespace spotfarm::cli
