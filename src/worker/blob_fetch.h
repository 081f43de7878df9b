#pragma once
// Blobs of a transfer job downloaded into the worker's cache a few at a time, verified on arrival
// (ManagerApi::fetch_blob), tried again with back-off while the manager cannot serve them, and
// every failure told as the file it was for and what to do about it.

#include <cstdint>
#include <functional>
#include <vector>

#include "protocol/transfer.h"
#include "util/result.h"
#include "util/sleeper.h"
#include "worker/blob_cache.h"
#include "worker/manager_api.h"

namespace spotfarm::worker {

// What fetching needs besides the cache: the manager, a way to wait between tries, and a check
// made about once a second (it heartbeats the task) that says whether to go on.
struct FetchContext {
    ManagerApi& manager;
    util::Sleeper& sleeper;
    std::function<bool()> keep_going;
    int parallel = 4;  // blobs downloaded at once
};

// Fetches every blob of `blobs` (a TreeFile with an empty path stands for the tree itself) into
// `cache`. Kind interrupted when keep_going said stop; otherwise the first failure, naming the
// file of job `job_id` and the blob.
util::Status fetch_blobs(BlobCache& cache, std::int64_t job_id,
                         std::vector<protocol::TreeFile> blobs, const FetchContext& fetch);

}  // namespace spotfarm::worker
