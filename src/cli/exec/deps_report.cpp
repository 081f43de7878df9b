#include "cli/exec/deps_report.h"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common/table.h"

namespace spotfarm::cli {

DepsSummary summarize(const std::vector<blender::Dependency>& deps) {
    DepsSummary s;
    s.files = deps.size();
    for (const auto& d : deps) {
        if (d.missing) {
            ++s.missing;
        } else {
            s.total_bytes += d.size;
        }
        if (d.outside) ++s.outside;
    }
    return s;
}

std::string size_text(std::int64_t bytes) {
    if (bytes < 1024) return fmt::format("{} B", bytes);
    static constexpr std::array<const char*, 5> k_units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = static_cast<double>(bytes) / 1024.0;
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < k_units.size()) {
        value /= 1024.0;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, k_units[unit]);
}

std::string format_deps_summary(const DepsSummary& s) {
    return fmt::format("{} file{}, {}, {} missing, {} outside the scene's folder", s.files,
                       s.files == 1 ? "" : "s", size_text(s.total_bytes), s.missing, s.outside);
}

std::string format_deps_table(const std::vector<blender::Dependency>& deps) {
    Table table({{"KIND"}, {"PATH"}, {"SIZE", Align::right}, {"STATUS"}});
    for (const auto& d : deps) {
        std::string status = d.missing ? "MISSING" : (d.outside ? "outside" : "ok");
        // A file found by expanding a pattern or listed only by Blender has no path as written.
        std::string shown = d.written.empty() ? d.path.string() : d.written;
        table.add_row({d.kind, shown, d.missing ? "-" : size_text(d.size), status});
    }
    std::string out = deps.empty() ? std::string() : table.render();
    return out + format_deps_summary(summarize(deps)) + "\n";
}

nlohmann::json deps_json(const std::filesystem::path& scene,
                         const std::vector<blender::Dependency>& deps) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& d : deps) {
        files.push_back({{"kind", d.kind},
                         {"written", d.written},
                         {"path", d.path.string()},
                         {"size", d.size},
                         {"missing", d.missing},
                         {"outside", d.outside},
                         {"user", d.user}});
    }
    const DepsSummary s = summarize(deps);
    return {{"scene", scene.string()},      {"files", files},       {"count", s.files},
            {"total_bytes", s.total_bytes}, {"missing", s.missing}, {"outside", s.outside}};
}

}  // namespace spotfarm::cli
