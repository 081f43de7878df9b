#include "util/atomic_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "util/unique_fd.h"

namespace spotfarm::util {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view k_temp_marker = ".spotfarm-tmp-";
std::atomic<unsigned> g_temp_counter{0};

Error errno_error(const std::string& what) {
    return make_error(what + ": " + std::strerror(errno));
}
}  // namespace

fs::path temp_path_for(const fs::path& final_path) {
    std::string name(".");
    name += final_path.filename().string();
    name += k_temp_marker;
    name += std::to_string(::getpid()) + "-" + std::to_string(++g_temp_counter);
    name += final_path.extension().string();
    return final_path.parent_path() / name;
}

bool is_temp_name(std::string_view file_name) {
    return file_name.starts_with('.') && file_name.find(k_temp_marker) != std::string_view::npos;
}

int remove_stale_temps(const fs::path& final_path, fs::file_time_type before) {
    std::string prefix = ".";
    prefix += final_path.filename().string();
    prefix += k_temp_marker;
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(final_path.parent_path(), ec)) {
        if (!entry.path().filename().string().starts_with(prefix)) continue;
        std::error_code time_error;
        const auto written = fs::last_write_time(entry.path(), time_error);
        if (time_error || written >= before) continue;  // gone already, or still being written
        std::error_code remove_error;
        if (fs::remove(entry.path(), remove_error)) ++removed;
    }
    return removed;
}

Status rename_into_place(const fs::path& from, const fs::path& to, bool replace) {
    if (replace) {
        if (::rename(from.c_str(), to.c_str()) != 0) {
            return errno_error("cannot move " + from.string() + " to " + to.string());
        }
        return {};
    }
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return {};
    if (errno == EEXIST) return make_error(to.string() + " already exists; it was left alone");
    if (errno != EINVAL && errno != ENOSYS) {
        return errno_error("cannot move " + from.string() + " to " + to.string());
    }
    // File systems without RENAME_NOREPLACE (NFS, older kernels): link fails on an existing name.
    if (::link(from.c_str(), to.c_str()) != 0) {
        if (errno == EEXIST) return make_error(to.string() + " already exists; it was left alone");
        return errno_error("cannot move " + from.string() + " to " + to.string());
    }
    ::unlink(from.c_str());
    return {};
}

Status sync_directory(const fs::path& dir) {
    UniqueFd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return errno_error("cannot open the folder " + dir.string());
    if (::fsync(fd.get()) != 0) return errno_error("cannot sync the folder " + dir.string());
    return {};
}

Status write_file_atomic(const fs::path& path, std::string_view content, mode_t mode,
                         Durability durability) {
    const bool sync = durability == Durability::power_loss;
    TempFile temp(temp_path_for(path));
    UniqueFd fd(::open(temp.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (!fd) return errno_error("cannot create " + temp.path().string());
    if (auto st = write_all(fd.get(), content); !st) {
        return make_error("cannot write " + path.string() + ": " + st.error().message);
    }
    if (sync && ::fsync(fd.get()) != 0) return errno_error("cannot write " + path.string());
    fd.reset();
    if (auto st = rename_into_place(temp.path(), path, true); !st) return st;
    temp.release();
    return sync ? sync_directory(path.parent_path()) : Status{};
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
    if (this != &other) {
        remove();
        m_path = std::move(other.m_path);
        other.m_path.clear();
    }
    return *this;
}

void TempFile::remove() {
    if (m_path.empty()) return;
    std::error_code ec;
    fs::remove(m_path, ec);
    m_path.clear();
}

}  // namespace spotfarm::util
