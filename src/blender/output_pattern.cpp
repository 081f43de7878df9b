#include "blender/output_pattern.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "util/ascii.h"

namespace spotfarm::blender {
namespace {

constexpr std::size_t k_max_hash_run = 9;
constexpr std::string_view k_default_hashes = "####";

// Position and length of the last run of '#', or npos.
std::pair<std::size_t, std::size_t> last_hash_run(std::string_view pattern) {
    const std::size_t end = pattern.find_last_of('#');
    if (end == std::string_view::npos) return {std::string_view::npos, 0};
    std::size_t begin = end;
    while (begin > 0 && pattern[begin - 1] == '#') --begin;
    return {begin, end - begin + 1};
}

std::size_t longest_hash_run(std::string_view pattern) {
    std::size_t longest = 0;
    std::size_t current = 0;
    for (char c : pattern) {
        current = c == '#' ? current + 1 : 0;
        longest = std::max(longest, current);
    }
    return longest;
}

bool names_directory(std::string_view path) {
    if (path.back() == '/' || path.back() == '\\') return true;
    std::error_code ec;
    return std::filesystem::is_directory(std::filesystem::path(std::string(path)), ec);
}

}  // namespace

util::Result<std::string> normalize_output_pattern(std::string_view user_output) {
    if (user_output.empty()) {
        return util::make_error(
            "the output path is empty; give a folder like \"renders/\" or a pattern like "
            "\"renders/shot_####\"",
            util::ErrorKind::invalid);
    }
    if (user_output.find("..") != std::string_view::npos) {
        return util::make_error(
            fmt::format("the output path \"{}\" contains \"..\"; name the output folder without "
                        "stepping up out of it, like \"renders/shot_####\"",
                        user_output),
            util::ErrorKind::invalid);
    }
    if (const std::size_t run = longest_hash_run(user_output); run > k_max_hash_run) {
        return util::make_error(
            fmt::format("the output path \"{}\" has a run of {} '#'; Blender pads frame numbers to "
                        "at most {} digits, like \"shot_####\"",
                        user_output, run, k_max_hash_run),
            util::ErrorKind::invalid);
    }
    std::string pattern(user_output);
    if (names_directory(user_output)) {
        if (pattern.back() != '/' && pattern.back() != '\\') pattern += '/';
        pattern += k_default_hashes;
    } else if (pattern.find('#') == std::string::npos) {
        pattern += k_default_hashes;
    }
    return pattern;
}

std::string frame_path(std::string_view pattern, int frame, std::string_view extension) {
    auto [begin, length] = last_hash_run(pattern);
    std::string path;
    if (begin == std::string_view::npos) {
        path = fmt::format("{}{:0{}d}", pattern, frame, k_default_hashes.size());
    } else {
        path = fmt::format("{}{:0{}d}{}", pattern.substr(0, begin), frame, length,
                           pattern.substr(begin + length));
    }
    path += extension;
    return path;
}

util::Result<std::string> extension_for_format(std::string_view format) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> k_formats{{
        {"PNG", ".png"},
        {"JPEG", ".jpg"},
        {"OPEN_EXR", ".exr"},
        {"OPEN_EXR_MULTILAYER", ".exr"},
        {"TIFF", ".tif"},
    }};
    const std::string upper = util::to_upper(format);
    for (const auto& [name, extension] : k_formats) {
        if (upper == name) return std::string(extension);
    }
    return util::make_error(
        fmt::format("unsupported image format \"{}\"; use one of PNG, JPEG, OPEN_EXR, "
                    "OPEN_EXR_MULTILAYER, TIFF",
                    format),
        util::ErrorKind::invalid);
}

}  // namespace spotfarm::blender
