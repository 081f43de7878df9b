#include "manager/job_scripts.h"

#include <nlohmann/json.hpp>

namespace spotfarm::manager {

bool settings_allow_scripts(std::string_view settings_json) {
    const auto j = nlohmann::json::parse(settings_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    const auto it = j.find("allow_scripts");
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace spotfarm::manager
