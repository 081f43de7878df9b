#pragma once
// What the reliability tests look at beyond the API: files on disk, attempts, and the CPU that a
// worker's Blender still burns.

#include <sys/stat.h>

#include <dirent.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <algorithm>
#include <map>
#include <optional>

#include "support/farm_fixture.h"

namespace spotfarm::test {

// A frame file's identity: a frame rendered again gets a new inode (renamed into place) and a
// new modification time.
struct FileStamp {
    std::uint64_t inode = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
};

inline std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileStamp{st.st_ino, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

// The live (not zombie) processes whose parent is `parent`, such as a worker's Blender sessions.
inline std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> children;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return children;
    while (dirent* entry = ::readdir(proc)) {
        std::ifstream in(std::string("/proc/") + entry->d_name + "/stat");
        std::string text;
        if (!in || !std::getline(in, text)) continue;
        auto close = text.rfind(')');  // the command name may hold spaces
        if (close == std::string::npos || close + 2 > text.size()) continue;
        std::istringstream fields(text.substr(close + 2));
        std::string state;
        long ppid = 0;
        fields >> state >> ppid;
        if (ppid == parent && state != "Z") children.push_back(std::atoi(entry->d_name));
    }
    ::closedir(proc);
    return children;
}

// Whether `pid` is a live process (a zombie is not).
inline bool alive(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!in || !std::getline(in, text)) return false;
    auto close = text.rfind(')');
    return close != std::string::npos && text.compare(close + 2, 1, "Z") != 0;
}

// Seconds of CPU used so far by the process.
inline double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!in || !std::getline(in, text)) return 0;
    auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt
    unsigned long long utime = 0, stime = 0;
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU seconds used so far by the children of `parent` (a worker's Blender sessions).
inline double children_cpu_seconds(pid_t parent) {
    double total = 0;
    for (pid_t child : children_of(parent)) total += cpu_seconds(child);
    return total;
}

// Attempts of the task by outcome ("completed", "failed", "lease_expired", ...).
inline std::map<std::string, int> attempt_outcomes(const json& task) {
    std::map<std::string, int> outcomes;
    if (!task.is_object() || !task.contains("attempt_list")) return outcomes;
    for (const auto& attempt : task["attempt_list"]) ++outcomes[attempt.value("outcome", "")];
    return outcomes;
}

}  // namespace spotfarm::test
