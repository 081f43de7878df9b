#include "util/duration_text.h"

#include <cmath>

#include <fmt/format.h>

namespace spotfarm::util {

std::string format_seconds(double seconds) {
    if (seconds < 60) return fmt::format("{:.2f} s", seconds);
    auto whole = static_cast<long long>(std::llround(seconds));
    if (whole < 3600) return fmt::format("{} min {:02} s", whole / 60, whole % 60);
    return fmt::format("{} h {:02} min", whole / 3600, (whole % 3600) / 60);
}

std::string describe_duration(std::chrono::milliseconds d) {
    const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    if (seconds < 1) return fmt::format("{} ms", d.count());
    if (seconds < 120) return fmt::format("{} s", seconds);
    const long long minutes = seconds / 60;
    if (minutes < 120) {
        return seconds % 60 == 0 || minutes >= 10
                   ? fmt::format("{} min", minutes)
                   : fmt::format("{} min {} s", minutes, seconds % 60);
    }
    return minutes % 60 == 0 ? fmt::format("{} h", minutes / 60)
                             : fmt::format("{} h {} min", minutes / 60, minutes % 60);
}

std::string option_duration(std::chrono::milliseconds d) {
    const long long ms = d.count();
    if (ms != 0 && ms % 3'600'000 == 0) return fmt::format("{}h", ms / 3'600'000);
    if (ms != 0 && ms % 60'000 == 0) return fmt::format("{}m", ms / 60'000);
    if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
    return fmt::format("{}ms", ms);
}

}  // namespace spotfarm::util
