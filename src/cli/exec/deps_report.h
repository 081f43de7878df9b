#pragma once
// What `spotfarm deps` prints: the files a scene needs as a table with a one-line summary, or as
// JSON for scripts.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "blender/dependency_list.h"

namespace spotfarm::cli {

struct DepsSummary {
    std::size_t files = 0;
    std::int64_t total_bytes = 0;  // of the files found
    std::size_t missing = 0;
    std::size_t outside = 0;  // not under the scene's folder
};

DepsSummary summarize(const std::vector<blender::Dependency>& deps);

// "1.5 MiB", "812 B": a size for people, in binary units.
std::string size_text(std::int64_t bytes);

// kind, path as written, size, status (ok / MISSING / outside) per file, then the summary line.
std::string format_deps_table(const std::vector<blender::Dependency>& deps);

// "3 files, 1.2 MiB, 1 missing, 1 outside the scene's folder".
std::string format_deps_summary(const DepsSummary& summary);

// {"scene", "files": [{"kind", "written", "path", "size", "missing", "outside", "user"}],
//  "count", "total_bytes", "missing", "outside"}
nlohmann::json deps_json(const std::filesystem::path& scene,
                         const std::vector<blender::Dependency>& deps);

}  // namespace spotfarm::cli
