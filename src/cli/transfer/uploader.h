#pragma once
// Puts a job's tree on the manager (docs/transfer.md): asks which blobs it lacks, sends those
// over a few connections at once (small files in batches, large ones in resumable chunks), then
// the tree blob itself. An unchanged tree costs one POST /blobs/missing.

#include <cstdint>
#include <functional>
#include <string>

#include "cli/transfer/blob_sender.h"
#include "cli/transfer/tree_builder.h"
#include "cli/transfer/upload_plan.h"
#include "util/http_client.h"
#include "util/result.h"
#include "util/sleeper.h"

namespace spotfarm::cli {

struct UploadProgress {
    std::int64_t bytes_done = 0;  // sent so far
    std::int64_t bytes_total = 0;
};

struct UploadOptions {
    BlobSenderOptions sender;
    UploadLimits limits;
    int connections = 4;  // requests in flight at once
    // Called after each request that went through, from the sending threads one at a time.
    std::function<void(const UploadProgress&)> progress;
};

struct UploadReport {
    std::string tree_hash;           // settings.tree of the job
    std::int64_t bytes_sent = 0;     // in this run
    std::int64_t bytes_skipped = 0;  // the manager had them (whole or in part)
    std::size_t files_sent = 0;      // distinct blobs, the tree included
    std::size_t files_skipped = 0;
    double seconds = 0;
};

// Uploads every file of `tree` and the tree blob. The first failure stops the others and is the
// error (what was sent stays on the manager, so a second run resumes).
util::Result<UploadReport> upload_tree(util::HttpClient& http, util::Sleeper& sleeper,
                                       const BuiltTree& tree, const UploadOptions& options);

// "1.2 GiB sent, 30 MiB already there, 120 files in 3.1 s (380 MB/s)"
std::string upload_summary(const UploadReport& report);

}  // namespace spotfarm::cli
