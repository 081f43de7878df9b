#include "manager/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "manager/disk_full.h"
#include "manager/file_range.h"
#include "util/atomic_file.h"
#include "util/unique_fd.h"

namespace spotfarm::manager {
namespace {

constexpr std::int64_t k_read_piece = 1 << 20;

int pwrite_all(int fd, std::string_view bytes, std::int64_t offset) {
    while (!bytes.empty()) {
        const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
        offset += n;
    }
    return 0;
}

// The size of a regular file, or -1 when there is none.
std::int64_t file_size_or_none(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return -1;
    return static_cast<std::int64_t>(st.st_size);
}

util::Error write_error(const std::filesystem::path& file, int error_number) {
    if (is_disk_full_errno(error_number)) return disk_full_error(file.parent_path(), error_number);
    return util::make_error("cannot write " + file.string() + ": " + std::strerror(error_number),
                            util::ErrorKind::storage);
}

util::Error read_error(const std::filesystem::path& file) {
    return util::make_error("cannot read " + file.string() + ": " + std::strerror(errno),
                            util::ErrorKind::storage);
}

// A hash names a file under the root: anything else could name a path outside it.
util::Status check_hash(std::string_view hash) {
    if (protocol::is_blob_hash(hash)) return {};
    std::string message = "the blob name '";
    message.append(hash.substr(0, 80));
    message += "' is not a hash: give 64 lower-case hex digits (SHA-256)";
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

}  // namespace

// One hash's lock, taken for as long as this lives; the lock goes from the map with its last user.
class BlobStore::Held {
public:
    Held(BlobStore& store, const std::string& hash) : m_store(store), m_hash(hash) {
        {
            std::lock_guard guard(store.m_mutex);
            auto& lock = store.m_locks[hash];
            if (!lock) lock = std::make_shared<HashLock>();
            ++lock->users;
            m_lock = lock;
        }
        m_lock->mutex.lock();
    }
    ~Held() {
        m_lock->mutex.unlock();
        std::lock_guard guard(m_store.m_mutex);
        if (--m_lock->users == 0) m_store.m_locks.erase(m_hash);
    }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

private:
    BlobStore& m_store;
    std::string m_hash;
    std::shared_ptr<HashLock> m_lock;
};

util::Result<std::unique_ptr<BlobStore>> BlobStore::open(std::filesystem::path root,
                                                         BlobWriter writer) {
    std::error_code ec;
    std::filesystem::create_directories(root / "partial", ec);
    if (ec) {
        return util::make_error(
            "cannot make the blob folder " + (root / "partial").string() + ": " + ec.message(),
            util::ErrorKind::storage);
    }
    if (!writer) writer = pwrite_all;
    return std::unique_ptr<BlobStore>(new BlobStore(std::move(root), std::move(writer)));
}

BlobStore::BlobStore(std::filesystem::path root, BlobWriter writer)
    : m_root(std::move(root)), m_writer(std::move(writer)) {}

std::filesystem::path BlobStore::path_of(std::string_view hash) const {
    return m_root / std::string(hash.substr(0, 2)) / std::string(hash);
}

std::filesystem::path BlobStore::partial_path_of(std::string_view hash) const {
    return m_root / "partial" / std::string(hash);
}

bool BlobStore::has(std::string_view hash) const {
    return file_size_or_none(path_of(hash)) >= 0;
}

std::optional<std::int64_t> BlobStore::size(std::string_view hash) const {
    const std::int64_t bytes = file_size_or_none(path_of(hash));
    if (bytes < 0) return std::nullopt;
    return bytes;
}

protocol::MissingAnswer BlobStore::missing(const std::vector<std::string>& hashes) const {
    protocol::MissingAnswer answer;
    std::unordered_set<std::string_view> seen;
    seen.reserve(hashes.size());
    for (const std::string& hash : hashes) {
        if (!seen.insert(hash).second || has(hash)) continue;
        answer.missing.push_back(hash);
        if (const std::int64_t held = file_size_or_none(partial_path_of(hash)); held > 0) {
            answer.partial[hash] = held;
        }
    }
    return answer;
}

util::Result<AppendOutcome> BlobStore::append(const std::string& hash, std::int64_t offset,
                                              std::int64_t total, std::string_view bytes) {
    if (auto ok = check_hash(hash); !ok) return ok.error();
    Held held(*this, hash);
    return append_locked(hash, offset, total, bytes);
}

util::Result<AppendOutcome> BlobStore::append_locked(const std::string& hash, std::int64_t offset,
                                                     std::int64_t total, std::string_view bytes) {
    using Status = AppendOutcome::Status;
    if (has(hash)) return AppendOutcome{Status::accepted, total, true};
    const std::filesystem::path file = partial_path_of(hash);
    const std::int64_t held = std::max<std::int64_t>(0, file_size_or_none(file));
    if (offset != held) return AppendOutcome{Status::offset_mismatch, held, false};
    const auto end = offset + static_cast<std::int64_t>(bytes.size());
    if (total < 0 || end > total) {
        return util::make_error("the chunk ends at byte " + std::to_string(end) +
                                    ", past the blob's size " + std::to_string(total) +
                                    " (X-Spotfarm-Size): send the size of the whole file",
                                util::ErrorKind::invalid);
    }

    std::shared_ptr<Partial> partial;
    {
        std::lock_guard guard(m_mutex);
        auto& slot = m_partials[hash];
        if (!slot) slot = std::make_shared<Partial>();
        partial = slot;
    }
    if (partial->hashed != held) {
        if (auto caught = catch_up(hash, *partial, held); !caught) return caught.error();
    }

    // The folder again, should someone have emptied the store while the manager runs.
    std::error_code made;
    std::filesystem::create_directories(file.parent_path(), made);
    util::UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) return write_error(file, errno);
    if (const int failed = m_writer(fd.get(), bytes, offset); failed != 0) {
        // Back to what it held, so the next try resumes from a count the digest agrees with.
        (void)::ftruncate(fd.get(), static_cast<off_t>(held));
        return write_error(file, failed);
    }
    fd.reset();
    partial->digest.update(bytes);
    partial->hashed = end;
    if (end < total) return AppendOutcome{Status::accepted, end, false};

    const std::string digest = partial->digest.hex_digest();
    {
        std::lock_guard guard(m_mutex);
        m_partials.erase(hash);
    }
    std::error_code ec;
    if (digest != hash) {
        std::filesystem::remove(file, ec);
        return AppendOutcome{Status::hash_mismatch, 0, false};
    }
    const std::filesystem::path final_path = path_of(hash);
    std::filesystem::create_directories(final_path.parent_path(), ec);
    if (auto moved = util::rename_into_place(file, final_path, true); !moved) {
        return util::make_error(moved.error().message, util::ErrorKind::storage);
    }
    return AppendOutcome{Status::accepted, total, true};
}

// After a restart the digest of a partial upload is gone: its bytes are read once, when the
// upload resumes.
util::Status BlobStore::catch_up(const std::string& hash, Partial& partial, std::int64_t held) {
    const std::filesystem::path file = partial_path_of(hash);
    partial.digest = util::Sha256();
    partial.hashed = 0;
    if (held == 0) return {};
    util::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return read_error(file);
    std::string buffer(static_cast<std::size_t>(k_read_piece), '\0');
    std::int64_t done = 0;
    while (done < held) {
        const auto want = static_cast<std::size_t>(std::min(k_read_piece, held - done));
        const ssize_t n = ::pread(fd.get(), buffer.data(), want, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return read_error(file);
        if (n == 0) break;
        partial.digest.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        done += n;
    }
    if (done != held) {
        return util::make_error(file.string() + " shrank while it was read; send the blob again",
                                util::ErrorKind::storage);
    }
    partial.hashed = held;
    return {};
}

util::Result<bool> BlobStore::put_whole(const std::string& hash, std::string_view bytes) {
    if (auto ok = check_hash(hash); !ok) return ok.error();
    Held held(*this, hash);
    if (has(hash)) return true;
    util::Sha256 digest;
    digest.update(bytes);
    if (digest.hex_digest() != hash) return false;
    if (auto written = write_new(path_of(hash), bytes); !written) return written.error();
    return true;
}

util::Status BlobStore::write_new(const std::filesystem::path& path, std::string_view bytes) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    util::TempFile temp(util::temp_path_for(path));
    util::UniqueFd fd(::open(temp.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd) return write_error(temp.path(), errno);
    if (const int failed = m_writer(fd.get(), bytes, 0); failed != 0) {
        return write_error(temp.path(), failed);
    }
    fd.reset();
    if (auto moved = util::rename_into_place(temp.path(), path, true); !moved) {
        return util::make_error(moved.error().message, util::ErrorKind::storage);
    }
    temp.release();
    return {};
}

util::Result<std::string> BlobStore::read(const std::string& hash, std::int64_t from,
                                          std::int64_t max) const {
    if (auto ok = check_hash(hash); !ok) return ok.error();
    auto bytes = read_file_range(path_of(hash), from, max);
    if (!bytes && bytes.error().kind == util::ErrorKind::not_found) {
        return util::make_error("the manager holds no blob " + hash + "; upload it first",
                                util::ErrorKind::not_found);
    }
    return bytes;
}

}  // namespace spotfarm::manager
