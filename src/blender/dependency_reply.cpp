#include "blender/dependency_reply.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace spotfarm::blender {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The driver reports paths it normalised, but a scene folder given as "a/../b" must not make
// every file look outside it.
bool is_under(const fs::path& path, const fs::path& folder) {
    const fs::path p = path.lexically_normal();
    const fs::path f = folder.lexically_normal();
    auto [end, _] = std::mismatch(f.begin(), f.end(), p.begin(), p.end());
    // "/shot/" ends in an empty element; it matches anything.
    for (auto it = end; it != f.end(); ++it) {
        if (!it->empty()) return false;
    }
    return p != f;
}

Dependency read_dependency(const json& j) {
    Dependency d;
    d.kind = j.at("kind").get<std::string>();
    d.written = j.value("written", "");
    d.path = fs::path(j.at("path").get<std::string>());
    d.size = j.value("size", std::int64_t{-1});
    d.missing = j.value("missing", d.size < 0);
    d.user = j.value("user", "");
    return d;
}

}  // namespace

util::Result<std::vector<Dependency>> parse_dependencies_reply(const std::string& line) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return util::make_error("the Blender driver sent a line that is not a JSON object: " +
                                line.substr(0, 200));
    }
    try {
        if (!j.value("ok", false)) {
            return util::make_error(j.value("error",
                                            "the Blender driver could not list the "
                                            "scene's files (no reason given)"));
        }
        std::vector<Dependency> found;
        for (const auto& entry : j.at("dependencies")) {
            Dependency d = read_dependency(entry);
            if (!d.path.is_absolute()) {
                return util::make_error("the Blender driver listed a file by a relative path: " +
                                        d.path.string());
            }
            found.push_back(std::move(d));
        }
        return found;
    } catch (const json::exception& e) {
        return util::make_error("the Blender driver sent a list of files that cannot be read (" +
                                std::string(e.what()) + "): " + line.substr(0, 200));
    }
}

std::vector<Dependency> finish_dependencies(std::vector<Dependency> found,
                                            const fs::path& scene_folder) {
    std::vector<Dependency> out;
    std::set<fs::path> seen;
    for (auto& d : found) {
        d.path = d.path.lexically_normal();
        if (!seen.insert(d.path).second) continue;
        d.outside = !is_under(d.path, scene_folder);
        out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(),
              [](const Dependency& a, const Dependency& b) { return a.path < b.path; });
    return out;
}

}  // namespace spotfarm::blender
