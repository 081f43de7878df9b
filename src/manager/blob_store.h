#pragma once
// The manager's blobs (docs/transfer.md): files kept by the SHA-256 of their bytes, shared by
// every job. A complete blob lives at `<root>/ab/<hash>` ("ab": the hash's first two digits) and
// is there only once its bytes matched its hash; a chunked upload that has not finished lives at
// `<root>/partial/<hash>`, where the next chunk resumes.
//
// Thread-safe: the routes call it from a small pool of threads. Calls on one hash are serialised;
// calls on different hashes run side by side. No HTTP here.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/transfer.h"
#include "util/file_hash.h"
#include "util/result.h"

namespace spotfarm::manager {

// Writes `bytes` at `offset` of the open file `fd`, whole; 0 or the errno of the failure. The
// store's one way to write, so a test can make the disk full.
using BlobWriter = std::function<int(int fd, std::string_view bytes, std::int64_t offset)>;

// What a chunk did to an upload.
struct AppendOutcome {
    enum class Status {
        accepted,         // the bytes were added (`complete` when that finished the blob)
        offset_mismatch,  // the chunk does not start where the upload stands: nothing written
        hash_mismatch,    // the finished bytes do not hash to the name: the partial was dropped
    };
    Status status = Status::accepted;
    std::int64_t received = 0;  // bytes held now (0 after a hash mismatch)
    bool complete = false;
};

class BlobStore {
public:
    // Makes `root`, `root/partial` as needed. `writer` empty: pwrite.
    static util::Result<std::unique_ptr<BlobStore>> open(std::filesystem::path root,
                                                         BlobWriter writer = {});

    // Whether the complete blob is here.
    bool has(std::string_view hash) const;
    // Its size, when complete.
    std::optional<std::int64_t> size(std::string_view hash) const;
    // The hashes of `hashes` with no complete blob (in their order, each once), and the bytes
    // held of those with a partial upload.
    protocol::MissingAnswer missing(const std::vector<std::string>& hashes) const;
    // Adds `bytes` at `offset` to the upload of a blob of `total` bytes. An already complete
    // blob answers complete at once. Errors: invalid (bytes past `total`), storage (the disk;
    // a full disk is disk_full_error, and the upload keeps what it had).
    util::Result<AppendOutcome> append(const std::string& hash, std::int64_t offset,
                                       std::int64_t total, std::string_view bytes);
    // Stores a whole blob (a batch entry): false, and nothing written, when `bytes` do not
    // hash to `hash`.
    util::Result<bool> put_whole(const std::string& hash, std::string_view bytes);
    // At most `max` bytes of the complete blob from `from`; not_found when it is not here.
    util::Result<std::string> read(const std::string& hash, std::int64_t from,
                                   std::int64_t max) const;

    std::filesystem::path path_of(std::string_view hash) const;
    std::filesystem::path partial_path_of(std::string_view hash) const;
    const std::filesystem::path& root() const { return m_root; }

private:
    // An upload in progress: the digest of the bytes held so far, so finishing it hashes only
    // the last chunk. Absent after a restart until the upload resumes and re-reads its bytes.
    struct Partial {
        util::Sha256 digest;
        std::int64_t hashed = 0;
    };
    struct HashLock {
        std::mutex mutex;
        int users = 0;
    };
    class Held;  // holds one hash's lock

    BlobStore(std::filesystem::path root, BlobWriter writer);
    util::Result<AppendOutcome> append_locked(const std::string& hash, std::int64_t offset,
                                              std::int64_t total, std::string_view bytes);
    util::Status catch_up(const std::string& hash, Partial& partial, std::int64_t held);
    util::Status write_new(const std::filesystem::path& path, std::string_view bytes);

    std::filesystem::path m_root;
    BlobWriter m_writer;
    std::mutex m_mutex;  // guards the maps below
    std::unordered_map<std::string, std::shared_ptr<HashLock>> m_locks;
    std::unordered_map<std::string, std::shared_ptr<Partial>> m_partials;
};

}  // namespace spotfarm::manager
