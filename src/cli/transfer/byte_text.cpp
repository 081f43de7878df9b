#include "cli/transfer/byte_text.h"

#include <fmt/format.h>

namespace spotfarm::cli {

std::string byte_text(std::int64_t bytes) {
    if (bytes < 1024) return fmt::format("{} B", bytes);
    constexpr const char* k_units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes) / 1024;
    int unit = 0;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, k_units[unit]);
}

std::string rate_text(std::int64_t bytes, double seconds) {
    if (seconds <= 0) return "-";
    const double mb = static_cast<double>(bytes) / 1e6 / seconds;
    return mb >= 10 ? fmt::format("{:.0f} MB/s", mb) : fmt::format("{:.1f} MB/s", mb);
}

}  // namespace spotfarm::cli
