#include "media/movie_path.h"

#include <fmt/format.h>

namespace spotfarm::media {
namespace {

constexpr int k_default_digits = 4;  // Blender's when the pattern has no '#'

// The position and length of the last run of '#'; npos when none (as blender/output_pattern).
std::pair<std::size_t, std::size_t> last_hash_run(std::string_view pattern) {
    const std::size_t end = pattern.find_last_of('#');
    if (end == std::string_view::npos) return {std::string_view::npos, 0};
    std::size_t begin = end;
    while (begin > 0 && pattern[begin - 1] == '#') --begin;
    return {begin, end - begin + 1};
}

}  // namespace

std::string movie_path(std::string_view pattern, int first, int last, std::string_view extension) {
    auto [begin, length] = last_hash_run(pattern);
    if (begin == std::string_view::npos) {
        return fmt::format("{}{:0{}d}-{:0{}d}{}", pattern, first, k_default_digits, last,
                           k_default_digits, extension);
    }
    return fmt::format("{}{:0{}d}-{:0{}d}{}{}", pattern.substr(0, begin), first, length, last,
                       length, pattern.substr(begin + length), extension);
}

std::string frame_file_path(std::string_view pattern, int frame, std::string_view extension) {
    auto [begin, length] = last_hash_run(pattern);
    if (begin == std::string_view::npos) {
        return fmt::format("{}{:0{}d}{}", pattern, frame, k_default_digits, extension);
    }
    return fmt::format("{}{:0{}d}{}{}", pattern.substr(0, begin), frame, length,
                       pattern.substr(begin + length), extension);
}

}  // namespace spotfarm::media
