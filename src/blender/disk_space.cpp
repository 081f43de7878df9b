#include "blender/disk_space.h"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

std::string bytes_text(std::uintmax_t bytes) {
    if (bytes >= (1u << 30)) return fmt::format("{:.1f} GiB", bytes / double(1u << 30));
    if (bytes >= (1u << 20)) return fmt::format("{:.1f} MiB", bytes / double(1u << 20));
    if (bytes >= 1024) return fmt::format("{:.0f} KiB", bytes / 1024.0);
    return fmt::format("{} bytes", bytes);
}

}  // namespace

FreeSpaceQuery system_free_space() {
    return [](const fs::path& folder) -> std::optional<std::uintmax_t> {
        std::error_code ec;
        fs::space_info info = fs::space(folder, ec);
        if (ec) return std::nullopt;
        return info.available;
    };
}

std::uintmax_t room_for_a_frame(std::uintmax_t largest_frame_bytes) {
    constexpr std::uintmax_t k_minimum = 1u << 20;
    return std::max(k_minimum, 2 * largest_frame_bytes);
}

std::optional<std::string> disk_full_message(const fs::path& folder,
                                             std::uintmax_t largest_frame_bytes,
                                             const std::string& cause,
                                             const FreeSpaceQuery& free_space) {
    auto available = free_space(folder);
    if (!available || *available >= room_for_a_frame(largest_frame_bytes)) return std::nullopt;
    std::string message = fmt::format(
        "the output disk is full ({} free in {}): make room or choose another output folder, "
        "then run the same command again (finished frames are kept and skipped)",
        bytes_text(*available), folder.string());
    if (!cause.empty()) message += "; the frame failed with: " + cause;
    return message;
}

}  // namespace spotfarm::blender
