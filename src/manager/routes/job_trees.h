#pragma once
// What the routes know of each job's files: its settings as submitted, and for a transfer job
// (docs/transfer.md) its tree, the blobs its workers may read.

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "core/job.h"
#include "core/job_settings.h"
#include "manager/blob_store.h"
#include "manager/http/response.h"
#include "manager/routes/api_context.h"

namespace spotfarm::manager::routes {

using BlobSet = std::shared_ptr<const std::unordered_set<std::string>>;

// The job's settings as submitted, parsed once per job. io thread.
const core::JobSettings& settings_of(ApiContext& ctx, const core::Job& job);

// The blobs a worker holding a task of `job` may read: its tree blob and every blob the tree
// lists; none for a shared-mode job. Read from the blob store once per job. io thread.
BlobSet blobs_of(ApiContext& ctx, const core::Job& job);

// Whether `worker` holds a leased task of a job whose tree is or lists `hash`. io thread.
bool worker_may_read(ApiContext& ctx, core::WorkerId worker, const std::string& hash);

// A transfer job's tree checked before the job is accepted: the tree blob is complete and parses,
// every blob it lists is complete, `scene` is a file of the tree and `output` a relative pattern.
// Either the refusal (409 blobs_missing with the count and the first hashes, 400 otherwise) or
// the job's blob set. Uses only the blob store: safe off the io thread.
struct TreeCheck {
    std::optional<http::Response> refusal;
    BlobSet blobs;
};
TreeCheck check_tree(const BlobStore& blobs, const core::JobSettings& settings);

}  // namespace spotfarm::manager::routes
