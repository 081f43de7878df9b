#include "cli/common/time_text.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "util/clock.h"

namespace spotfarm::cli {

std::string format_age(std::int64_t then_ms, std::int64_t now_ms) {
    if (then_ms <= 0) return "-";
    std::int64_t seconds = std::max<std::int64_t>(0, (now_ms - then_ms) / 1000);
    if (seconds < 60) return fmt::format("{}s", seconds);
    if (seconds < 3600) return fmt::format("{}m", seconds / 60);
    if (seconds < 86400) return fmt::format("{}h", seconds / 3600);
    return fmt::format("{}d", seconds / 86400);
}

std::string format_utc(std::int64_t unix_ms) {
    if (unix_ms <= 0) return "-";
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", fmt::gmtime(seconds));
}

std::int64_t wall_now_ms() {
    auto now = util::steady_clock().wall_now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

}  // namespace spotfarm::cli
