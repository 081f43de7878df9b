#pragma once
// What a probe run learns about a Blender (version, engines, GPU backends), kept in a small JSON
// file per Blender and machine, so a worker starts without running Blender first. The answer is
// reused only for the same file (path, size, modification time) on the same machine since the
// same boot with the same GPU-visibility variables: a new Blender, a new driver (a reboot) or
// another GPU selection probes again.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "blender/blender_install.h"
#include "util/result.h"

namespace spotfarm::blender {

// Everything a probe's answer depends on. Equal keys, equal answers.
struct ProbeKey {
    std::string blender;  // the executable's absolute path
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string host;     // host name: a cache folder may be shared (an NFS home)
    std::string boot_id;  // changes with each boot, as GPU drivers do
    std::string gpu_env;  // CUDA_VISIBLE_DEVICES and its kin, as set
    bool operator==(const ProbeKey&) const = default;
};

// The key of `blender` as it is on disk now, on this machine. Fails when it cannot be stat'ed.
util::Result<ProbeKey> probe_key(const std::filesystem::path& blender);

// $XDG_CACHE_HOME/spotfarm, else $HOME/.cache/spotfarm; empty when neither is set.
std::filesystem::path probe_cache_dir(std::string_view xdg_cache_home, std::string_view home);

// The same from the process environment.
std::filesystem::path default_probe_cache_dir();

// One JSON file per Blender and host in a folder, written atomically.
class ProbeCache {
public:
    explicit ProbeCache(std::filesystem::path dir) : m_dir(std::move(dir)) {}

    // The file that holds (or would hold) the answer for `key`.
    std::filesystem::path file_for(const ProbeKey& key) const;
    // The saved answer when the file holds one for exactly `key`; nothing when it is missing,
    // unreadable, corrupt or for another key.
    std::optional<BlenderCapabilities> find(const ProbeKey& key) const;
    // Saves `caps` for `key`, replacing what the file held (the folder is made if need be).
    util::Status save(const ProbeKey& key, const BlenderCapabilities& caps) const;

private:
    std::filesystem::path m_dir;
};

using Prober = std::function<util::Result<BlenderCapabilities>(const std::filesystem::path&)>;

// `probe(blender)`, answered from the cache in `cache_dir` when it holds this Blender on this
// machine. A miss probes and saves the answer; a cache that cannot be read or written costs only
// the probe. Workers starting together wait for the first one's probe (a lock file) rather than
// all running Blender, for at most `lock_wait`.
util::Result<BlenderCapabilities> probe_blender_cached(
    const std::filesystem::path& blender, const std::filesystem::path& cache_dir,
    const Prober& probe = [](const std::filesystem::path& b) { return probe_blender(b); },
    std::chrono::milliseconds lock_wait = std::chrono::seconds(150));

}  // namespace spotfarm::blender
