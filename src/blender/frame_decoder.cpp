#include "blender/frame_decoder.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

#include "util/self_executable.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

// dlerror()'s text without the path it starts with, which the caller already names.
std::string load_error(const fs::path& path) {
    const char* text = ::dlerror();
    std::string why = text ? text : "cannot be loaded";
    const std::string prefix = path.string() + ": ";
    if (why.starts_with(prefix)) why.erase(0, prefix.size());
    return why;
}

}  // namespace

std::vector<fs::path> frame_check_candidates(std::string_view env_value, const fs::path& executable,
                                             const fs::path& build_dir) {
    // A name without a slash would be looked up on the library path: make it a path.
    if (!env_value.empty()) {
        std::error_code ec;
        fs::path given = fs::absolute(fs::path(env_value), ec);
        return {ec ? fs::path(env_value) : given.lexically_normal()};
    }
    std::vector<fs::path> candidates;
    auto add = [&](const fs::path& dir) {
        if (dir.empty()) return;
        fs::path path = (dir / k_frame_check_file).lexically_normal();
        if (std::find(candidates.begin(), candidates.end(), path) == candidates.end()) {
            candidates.push_back(std::move(path));
        }
    };
    if (executable.has_parent_path()) add(executable.parent_path());
    add(build_dir);
    return candidates;
}

util::Result<FrameDecoder> FrameDecoder::load(const std::vector<fs::path>& candidates) {
    std::string tried;
    for (const fs::path& path : candidates) {
        // RTLD_LOCAL: OpenImageIO's symbols stay out of the program's namespace.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        std::string why;
        if (handle) {
            void* symbol = ::dlsym(handle, SPOTFARM_FRAME_CHECK_SYMBOL);
            if (symbol) return FrameDecoder(path, reinterpret_cast<SpotfarmFrameCheckFn>(symbol));
            why = load_error(path);
            ::dlclose(handle);
        } else {
            why = load_error(path);
        }
        tried += tried.empty() ? " " : "; ";
        tried += path.string() + " (" + why + ")";
    }
    if (candidates.empty()) tried = " (no place to look)";
    return util::make_error(
        std::string("the frame-check module (") + std::string(k_frame_check_file) +
            ") could not be loaded, so no frame can be checked; tried" + tried +
            ". Build it (ninja spotfarm_frame_check), put it beside the spotfarm executable, or "
            "set " +
            k_frame_check_env + " to its path",
        util::ErrorKind::unavailable);
}

int FrameDecoder::check(const fs::path& image, int expected_width, int expected_height,
                        SpotfarmFrameCheckReport& report) const {
    return m_check(image.c_str(), expected_width, expected_height, &report);
}

std::optional<std::filesystem::path> frame_check_module_path() {
    const char* env = std::getenv(k_frame_check_env);
    for (const auto& path : frame_check_candidates(env ? env : "", util::self_executable(),
                                                   SPOTFARM_FRAME_CHECK_BUILD_DIR)) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec)) return path;
    }
    return std::nullopt;
}

util::Result<FrameDecoder> frame_decoder() {
    static std::mutex mutex;
    static std::optional<FrameDecoder> loaded;
    std::lock_guard lock(mutex);
    if (loaded) return *loaded;
    const char* env = std::getenv(k_frame_check_env);
    auto decoder = FrameDecoder::load(frame_check_candidates(
        env ? env : "", util::self_executable(), SPOTFARM_FRAME_CHECK_BUILD_DIR));
    if (decoder) loaded = *decoder;
    return decoder;
}

}  // namespace spotfarm::blender
