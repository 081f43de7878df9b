#pragma once
// Which requests an upload makes, decided before any is sent: the blobs the manager lacks, small
// ones packed into POST /blobs/batch bodies, large ones sent in chunks from where an interrupted
// upload stopped. Pure, so the splitting is tested without a server.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "protocol/transfer.h"

namespace spotfarm::cli {

// One blob to offer: a file on this machine, or bytes held in memory (the tree blob).
struct UploadBlob {
    std::string hash;
    std::int64_t size = 0;
    std::filesystem::path source;  // empty: `data` holds the bytes
    std::string data;
    std::string label;  // for messages: the file's path here, or "the tree"
};

struct UploadLimits {
    std::int64_t small_file_bytes = 1LL << 20;  // up to this, a blob goes in a batch
    std::int64_t batch_bytes = 32LL << 20;      // most bytes of blobs in one batch
    std::size_t batch_files = 4000;             // most blobs in one batch
    std::int64_t chunk_bytes = 16LL << 20;      // of each PUT /blobs/{hash}
};

// One request sequence: a batch of small blobs, or the chunks of one large blob from `offset`.
struct UploadWork {
    std::vector<std::size_t> batch;  // indexes into the blobs; empty for a chunked blob
    std::size_t blob = 0;            // the chunked blob
    std::int64_t offset = 0;         // where its upload resumes
};

struct UploadPlan {
    std::vector<UploadWork> work;  // large blobs first, so they start while batches go by
    std::int64_t bytes_to_send = 0;
    std::int64_t bytes_skipped = 0;  // held complete by the manager, or resumed from
    std::size_t blobs_to_send = 0;
    std::size_t blobs_skipped = 0;
};

// The plan for `blobs` (each hash once) given the manager's answer to POST /blobs/missing.
UploadPlan plan_upload(const std::vector<UploadBlob>& blobs, const protocol::MissingAnswer& missing,
                       const UploadLimits& limits);

}  // namespace spotfarm::cli
