#include "worker/blob_cache.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "protocol/transfer.h"
#include "util/file_hash.h"

namespace spotfarm::worker {

namespace fs = std::filesystem;

std::string format_bytes(std::int64_t bytes) {
    constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    if (unit == 0) return fmt::format("{} B", bytes);
    return fmt::format("{:.1f} {}", value, k_units[unit]);
}

BlobCache::BlobCache(fs::path dir, std::int64_t capacity)
    : m_dir(std::move(dir)), m_capacity(capacity) {}

util::Result<std::unique_ptr<BlobCache>> BlobCache::open(fs::path dir, std::int64_t capacity) {
    std::error_code ec;
    fs::create_directories(dir / "blobs", ec);
    if (ec) {
        return util::make_error("cannot create the blob cache " + (dir / "blobs").string() + ": " +
                                    ec.message() + "; choose another folder with --cache-dir",
                                util::ErrorKind::storage);
    }
    std::unique_ptr<BlobCache> cache(new BlobCache(std::move(dir), capacity));
    cache->index_existing();
    return cache;
}

void BlobCache::index_existing() {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(m_dir / "blobs", ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!protocol::is_blob_hash(name) || !it->is_regular_file(ec)) continue;
        if (it->path() != path_of(name)) continue;  // not where a blob of that name lives
        std::error_code size_ec;
        const auto size = static_cast<std::int64_t>(it->file_size(size_ec));
        const auto used = it->last_write_time(size_ec);
        if (size_ec) continue;
        m_entries[name] = Entry{size, used};
        m_used += size;
    }
}

std::int64_t BlobCache::used() const {
    std::lock_guard lock(m_mutex);
    return m_used;
}

fs::path BlobCache::path_of(std::string_view hash) const {
    return m_dir / "blobs" / std::string(hash.substr(0, 2)) / std::string(hash);
}

bool BlobCache::take(const std::string& hash, std::int64_t size) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(hash);
    if (it == m_entries.end()) return false;
    std::error_code ec;
    const auto on_disk = static_cast<std::int64_t>(fs::file_size(path_of(hash), ec));
    if (ec || (size >= 0 && on_disk != size) || on_disk != it->second.size) {
        remove_locked(hash);  // gone or edited behind our back: fetch it again
        return false;
    }
    it->second.used = fs::file_time_type::clock::now();
    fs::last_write_time(path_of(hash), it->second.used, ec);
    return true;
}

std::int64_t BlobCache::partial_bytes(const std::string& hash) const {
    std::error_code ec;
    const auto bytes = fs::file_size(path_of(hash).string() + ".part", ec);
    return ec ? 0 : static_cast<std::int64_t>(bytes);
}

util::Status BlobCache::make_room(std::int64_t incoming, const std::set<std::string>& keep) {
    std::lock_guard lock(m_mutex);
    if (m_used + incoming <= m_capacity) return {};
    std::vector<std::pair<fs::file_time_type, std::string>> by_age;
    std::int64_t kept = 0;
    for (const auto& [hash, entry] : m_entries) {
        if (keep.count(hash)) {
            kept += entry.size;
        } else {
            by_age.emplace_back(entry.used, hash);
        }
    }
    if (kept + incoming > m_capacity) {
        return util::make_error(
            fmt::format("the job needs {} of files in the worker's blob cache, which holds at most "
                        "{} (--cache-size); start the worker with a larger --cache-size",
                        format_bytes(kept + incoming), format_bytes(m_capacity)),
            util::ErrorKind::storage);
    }
    std::sort(by_age.begin(), by_age.end());
    for (const auto& [used, hash] : by_age) {
        if (m_used + incoming <= m_capacity) break;
        remove_locked(hash);
    }
    return {};
}

util::Status BlobCache::added(const std::string& hash) {
    const fs::path path = path_of(hash);
    std::error_code ec;
    const auto size = static_cast<std::int64_t>(fs::file_size(path, ec));
    if (ec) {
        return util::make_error(
            "blob " + hash + " is not in the cache after its download: " + ec.message(),
            util::ErrorKind::storage);
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                    ec);
    const auto now = fs::file_time_type::clock::now();
    fs::last_write_time(path, now, ec);
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_entries.try_emplace(hash, Entry{size, now});
    if (!inserted) {
        m_used -= it->second.size;
        it->second = Entry{size, now};
    }
    m_used += size;
    return {};
}

bool BlobCache::verify(const std::string& hash) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_entries.count(hash)) return true;
    }
    auto digest = util::hash_file(path_of(hash));
    if (digest && digest->sha256 == hash) return true;
    remove(hash);  // unreadable counts as corrupt: either way it must be fetched again
    return false;
}

void BlobCache::remove(const std::string& hash) {
    std::lock_guard lock(m_mutex);
    remove_locked(hash);
}

void BlobCache::remove_locked(const std::string& hash) {
    auto it = m_entries.find(hash);
    if (it != m_entries.end()) {
        m_used -= it->second.size;
        m_entries.erase(it);
    }
    std::error_code ec;
    fs::remove(path_of(hash), ec);
}

std::string BlobCache::describe() const {
    return fmt::format("the blob cache at {} holds {} of at most {} (--cache-size)", m_dir.string(),
                       format_bytes(used()), format_bytes(m_capacity));
}

}  // namespace spotfarm::worker
