#pragma once
// Files that appear whole or not at all: written under a temporary name in the same folder, then
// renamed into place (a rename within one file system is atomic).

#include <filesystem>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "util/result.h"

namespace spotfarm::util {

// A fresh temporary name beside `final_path`, hidden and marked as ours:
// "dir/.frame_0001.png.spotfarm-tmp-<pid>-<n>.png". It ends in the final extension, so tools that
// go by the extension (Blender, OpenImageIO) treat it as the same kind of file.
std::filesystem::path temp_path_for(const std::filesystem::path& final_path);

// True for names temp_path_for makes (any process's).
bool is_temp_name(std::string_view file_name);

// Removes the temporary files of `final_path` (any process's, see temp_path_for) last written
// before `before`: left by a process killed between writing one and renaming it into place, which
// nothing else would ever remove. Returns how many it removed.
int remove_stale_temps(const std::filesystem::path& final_path,
                       std::filesystem::file_time_type before);

// Moves `from` to `to`. With replace == false an existing `to` is left alone and an error
// returned, even when another process creates it at the same moment.
Status rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to,
                         bool replace);

// What a written file must survive once write_file_atomic returns.
enum class Durability {
    power_loss,    // the file and its folder are fsync'd: a crash of the machine keeps it
    process_crash  // the kernel's page cache keeps it: cheaper by two fsyncs (milliseconds each)
};

// Writes `content` to `path` by way of a temporary file; `path` is never seen half-written, and
// once this returns the new content survives what `durability` says.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         mode_t mode = 0644, Durability durability = Durability::power_loss);

// fsyncs a folder, so that a rename or an unlink in it survives a crash.
Status sync_directory(const std::filesystem::path& dir);

// A temporary file that is removed when this goes away, unless released (renamed into place).
class TempFile {
public:
    TempFile() = default;
    explicit TempFile(std::filesystem::path path) : m_path(std::move(path)) {}
    TempFile(TempFile&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
    TempFile& operator=(TempFile&& other) noexcept;
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() { remove(); }

    const std::filesystem::path& path() const { return m_path; }
    // Stops owning the file (after it was renamed away).
    void release() { m_path.clear(); }
    // Removes the file now, if there is one.
    void remove();

private:
    std::filesystem::path m_path;
};

}  // namespace spotfarm::util
