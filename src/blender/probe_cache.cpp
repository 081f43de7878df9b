#include "blender/probe_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/json_fields.h"
#include "util/text_file.h"
#include "util/unique_fd.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int k_format = 1;  // bumped when the file's shape changes; other values are misses
constexpr std::size_t k_max_file_bytes = 256 * 1024;

// The variables that choose which GPUs a process sees, and so what the probe finds.
constexpr const char* k_gpu_variables[] = {
    "CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",    "ROCR_VISIBLE_DEVICES",
    "GPU_DEVICE_ORDINAL",   "ONEAPI_DEVICE_SELECTOR", "ZE_AFFINITY_MASK",
};

std::string host_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return {};
    return host;
}

std::string boot_id() {
    auto text = util::read_text_file("/proc/sys/kernel/random/boot_id", 4096);
    if (!text) return {};
    std::string id = *text;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    return id;
}

std::string gpu_environment() {
    std::string out;
    for (const char* name : k_gpu_variables) {
        if (const char* value = std::getenv(name)) out += fmt::format("{}={};", name, value);
    }
    return out;
}

// FNV-1a: a stable short name for a file, the same in every build and process.
std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

json key_json(const ProbeKey& key) {
    return json{{"blender", key.blender}, {"size", key.size},       {"mtime_ns", key.mtime_ns},
                {"host", key.host},       {"boot_id", key.boot_id}, {"gpu_env", key.gpu_env}};
}

json capabilities_json(const BlenderCapabilities& caps) {
    json backends = json::array();
    for (const auto& b : caps.gpu_backends) {
        backends.push_back(json{{"type", b.type}, {"devices", b.devices}});
    }
    return json{{"blender_version", caps.version},
                {"python_version", caps.python_version},
                {"engines", caps.engines},
                {"gpu_backends", backends}};
}

util::Result<GpuBackend> parse_backend(const json& j, const std::string& where) {
    GpuBackend b;
    util::JsonFields fields(j, where);
    fields.required("type", b.type).required("devices", b.devices);
    if (auto st = fields.status(); !st) return st.error();
    return b;
}

util::Result<std::vector<GpuBackend>> parse_backends(const json& j, const std::string& where) {
    if (!j.is_array()) return util::make_error(where + " must be an array");
    std::vector<GpuBackend> backends;
    for (std::size_t i = 0; i < j.size(); ++i) {
        auto b = parse_backend(j[i], fmt::format("{}[{}]", where, i));
        if (!b) return b.error();
        backends.push_back(std::move(b).value());
    }
    return backends;
}

util::Result<BlenderCapabilities> parse_capabilities(const json& j, const std::string& where) {
    BlenderCapabilities caps;
    util::JsonFields fields(j, where);
    fields.required("blender_version", caps.version)
        .required("python_version", caps.python_version)
        .required("engines", caps.engines)
        .required_with("gpu_backends", caps.gpu_backends, parse_backends);
    if (auto st = fields.status(); !st) return st.error();
    return caps;
}

// An exclusive lock on `path`, waited for up to `wait`; invalid when it cannot be had in time.
util::UniqueFd lock_file(const fs::path& path, std::chrono::milliseconds wait) {
    util::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) return {};
    // Polled rather than blocking, so a stuck holder delays us by `wait` at most.
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) return {};
        if (std::chrono::steady_clock::now() >= deadline) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return fd;
}

}  // namespace

util::Result<ProbeKey> probe_key(const fs::path& blender) {
    std::error_code ec;
    fs::path path = fs::canonical(blender, ec);
    if (ec) return util::make_error("cannot resolve " + blender.string() + ": " + ec.message());
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return util::make_error("cannot stat " + path.string() + ": " + std::strerror(errno));
    }
    ProbeKey key;
    key.blender = path.string();
    key.size = static_cast<std::uintmax_t>(st.st_size);
    key.mtime_ns = std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    key.host = host_name();
    key.boot_id = boot_id();
    key.gpu_env = gpu_environment();
    return key;
}

fs::path probe_cache_dir(std::string_view xdg_cache_home, std::string_view home) {
    // The XDG rule: a relative $XDG_CACHE_HOME is to be ignored.
    if (!xdg_cache_home.empty() && xdg_cache_home.front() == '/') {
        return fs::path(xdg_cache_home) / "spotfarm";
    }
    if (!home.empty()) return fs::path(home) / ".cache" / "spotfarm";
    return {};
}

fs::path default_probe_cache_dir() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    return probe_cache_dir(xdg ? xdg : "", home ? home : "");
}

fs::path ProbeCache::file_for(const ProbeKey& key) const {
    return m_dir / fmt::format("blender-probe-{:016x}.json", fnv1a(key.host + '\n' + key.blender));
}

std::optional<BlenderCapabilities> ProbeCache::find(const ProbeKey& key) const {
    const fs::path file = file_for(key);
    auto text = util::read_text_file(file, k_max_file_bytes);
    if (!text) return std::nullopt;
    auto j = util::parse_json_text(*text, file.string());
    if (!j || !j->is_object()) return std::nullopt;
    const json& root = *j;
    if (root.value("format", json()) != k_format) return std::nullopt;
    if (root.value("key", json()) != key_json(key)) return std::nullopt;
    auto caps_it = root.find("capabilities");
    if (caps_it == root.end()) return std::nullopt;
    auto caps = parse_capabilities(*caps_it, "capabilities");
    if (!caps) return std::nullopt;
    return std::move(caps).value();
}

util::Status ProbeCache::save(const ProbeKey& key, const BlenderCapabilities& caps) const {
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec) return util::make_error("cannot create " + m_dir.string() + ": " + ec.message());
    json root{
        {"format", k_format}, {"key", key_json(key)}, {"capabilities", capabilities_json(caps)}};
    return util::write_file_atomic(file_for(key), root.dump(2) + "\n");
}

util::Result<BlenderCapabilities> probe_blender_cached(const fs::path& blender,
                                                       const fs::path& cache_dir,
                                                       const Prober& probe,
                                                       std::chrono::milliseconds lock_wait) {
    auto key = probe_key(blender);
    if (!key || cache_dir.empty()) return probe(blender);
    ProbeCache cache(cache_dir);
    if (auto hit = cache.find(*key)) return *hit;

    std::error_code ec;
    fs::create_directories(cache_dir, ec);
    util::UniqueFd lock;
    if (!ec) lock = lock_file(fs::path(cache.file_for(*key)).replace_extension(".lock"), lock_wait);
    // Whoever held the lock may have probed this very Blender meanwhile.
    if (lock) {
        if (auto hit = cache.find(*key)) return *hit;
    }
    auto caps = probe(blender);
    if (caps) (void)cache.save(*key, *caps);  // not saved: the next start probes again
    return caps;
}

}  // namespace spotfarm::blender
