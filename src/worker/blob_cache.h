#pragma once
// The worker's cache of transfer-mode blobs (docs/transfer.md): `<dir>/blobs/ab/<hash>`, each file
// named by the SHA-256 of its bytes, bounded in size with the least recently used blobs evicted
// first. A blob's mtime is its last use, so the order survives a restart. Blobs are made
// read-only: a job's tree links to them, and a render that wrote into its tree would otherwise
// corrupt the cache for every later job.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::worker {

class BlobCache {
public:
    // Opens the cache at `dir` (created when missing) holding at most `capacity` bytes, and
    // indexes the blobs already there. Stray files are left alone and not counted.
    static util::Result<std::unique_ptr<BlobCache>> open(std::filesystem::path dir,
                                                         std::int64_t capacity);

    const std::filesystem::path& dir() const { return m_dir; }
    std::int64_t capacity() const { return m_capacity; }
    // Bytes held by complete blobs.
    std::int64_t used() const;
    // Where blob `hash` lives (or will): <dir>/blobs/<first two hex digits>/<hash>.
    std::filesystem::path path_of(std::string_view hash) const;

    // True when the cache holds blob `hash` with `size` bytes (-1: any size), and marks it used
    // now. A blob of another size was changed by someone: it is removed and false returned.
    bool take(const std::string& hash, std::int64_t size);
    // Bytes already held in `<path_of(hash)>.part` from a download that stopped.
    std::int64_t partial_bytes(const std::string& hash) const;
    // Evicts least recently used blobs, none in `keep`, until `incoming` more bytes fit under the
    // capacity. A storage Error when they cannot fit even then, saying how to make room.
    util::Status make_room(std::int64_t incoming, const std::set<std::string>& keep);
    // Takes note of blob `hash` that a download just put at path_of(hash): counts it, marks it
    // used and read-only.
    util::Status added(const std::string& hash);
    // Reads blob `hash` again; one whose bytes no longer match its name (or cannot be read) is
    // removed. True: intact, or not in the cache at all.
    bool verify(const std::string& hash);
    void remove(const std::string& hash);
    // "the blob cache at DIR holds X of at most Y (--cache-size)": for messages about a full disk.
    std::string describe() const;

private:
    BlobCache(std::filesystem::path dir, std::int64_t capacity);
    void index_existing();
    void remove_locked(const std::string& hash);

    struct Entry {
        std::int64_t size = 0;
        std::filesystem::file_time_type used{};
    };

    std::filesystem::path m_dir;
    std::int64_t m_capacity;
    mutable std::mutex m_mutex;  // downloads of one job finish on several threads
    std::map<std::string, Entry> m_entries;
    std::int64_t m_used = 0;
};

// "1.5 GiB", "20 GiB", "512 B": sizes in messages.
std::string format_bytes(std::int64_t bytes);

}  // namespace spotfarm::worker
