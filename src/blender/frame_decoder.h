#pragma once
// The frame-check module (blender/frame_check_abi.h), loaded with dlopen on first use: only the
// processes that check frames load OpenImageIO, so `spotfarm --version`, `spotfarm jobs` and the
// manager start in milliseconds. A module that cannot be loaded fails the check, never passes it.

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "blender/frame_check_abi.h"
#include "util/result.h"
#include "util/self_executable.h"

namespace spotfarm::blender {

// The module's file name, beside the executable or in the build folder.
using util::k_frame_check_file;

// The environment variable that names the module's file, in place of the places searched.
inline constexpr const char* k_frame_check_env = "SPOTFARM_FRAME_CHECK";

// Where to look, in order: the file `env_value` names, alone when it is set; otherwise the
// module beside `executable`, then the one in `build_dir`. No path appears twice.
std::vector<std::filesystem::path> frame_check_candidates(std::string_view env_value,
                                                          const std::filesystem::path& executable,
                                                          const std::filesystem::path& build_dir);

// A loaded module's entry point. Modules stay loaded for the life of the process.
class FrameDecoder {
public:
    // The first of `candidates` that loads and has the entry point; otherwise an error
    // (unavailable) that names every path tried and why each failed.
    static util::Result<FrameDecoder> load(const std::vector<std::filesystem::path>& candidates);

    // The module file this decoder came from.
    const std::filesystem::path& module_path() const { return m_module; }

    // Decodes `image` completely (see spotfarm_frame_check_v1); a SpotfarmFrameCheckOutcome.
    int check(const std::filesystem::path& image, int expected_width, int expected_height,
              SpotfarmFrameCheckReport& report) const;

private:
    FrameDecoder(std::filesystem::path module, SpotfarmFrameCheckFn check)
        : m_module(std::move(module)), m_check(check) {}

    std::filesystem::path m_module;
    SpotfarmFrameCheckFn m_check;
};

// The first default candidate that exists (nothing is loaded), for a manager that serves the
// module to workers on other machines.
std::optional<std::filesystem::path> frame_check_module_path();

// The process's decoder, loaded from the default candidates on the first call that succeeds.
// Thread-safe; a failure is not kept, so a module installed later is found by the next call.
util::Result<FrameDecoder> frame_decoder();

}  // namespace spotfarm::blender
