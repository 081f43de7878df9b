#include "store/json_columns.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace spotfarm::store {
namespace {

using nlohmann::json;

// Columns are written by this program only; unreadable text reads as empty.
json parse_or_null(const std::string& text) {
    return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

std::string ids_to_json(const std::vector<core::WorkerId>& ids) {
    if (ids.empty()) return "[]";
    json out = json::array();
    for (auto id : ids) out.push_back(id.value);
    return out.dump();
}

std::vector<core::WorkerId> ids_from_json(const std::string& text) {
    std::vector<core::WorkerId> out;
    json j = parse_or_null(text);
    if (!j.is_array()) return out;
    for (const auto& v : j) {
        if (v.is_number_integer()) out.emplace_back(v.get<std::int64_t>());
    }
    return out;
}

std::string counts_to_json(const std::map<core::WorkerId, int>& counts) {
    if (counts.empty()) return "{}";
    json out = json::object();
    for (const auto& [id, n] : counts) out[id.to_string()] = n;
    return out.dump();
}

std::map<core::WorkerId, int> counts_from_json(const std::string& text) {
    std::map<core::WorkerId, int> out;
    json j = parse_or_null(text);
    if (!j.is_object()) return out;
    for (const auto& [key, v] : j.items()) {
        std::int64_t id = 0;
        auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
        if (ec == std::errc() && v.is_number_integer()) out[core::WorkerId(id)] = v.get<int>();
    }
    return out;
}

std::string strings_to_json(const std::vector<std::string>& strings) {
    return json(strings).dump();
}

std::vector<std::string> strings_from_json(const std::string& text) {
    std::vector<std::string> out;
    json j = parse_or_null(text);
    if (!j.is_array()) return out;
    for (const auto& v : j) {
        if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
}

std::string results_to_json(const std::vector<core::FrameResult>& results) {
    json out = json::array();
    for (const auto& r : results) {
        json frame = {{"frame", r.frame},
                      {"output", r.output},
                      {"render_seconds", r.render_seconds},
                      {"peak_memory_bytes", r.peak_memory_bytes}};
        if (!r.warnings.empty()) frame["warnings"] = r.warnings;
        out.push_back(std::move(frame));
    }
    // Warnings are Blender's words about the scene's files: bytes that are not UTF-8 are
    // replaced rather than allowed to throw.
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<core::FrameResult> results_from_json(const std::string& text) {
    std::vector<core::FrameResult> out;
    json j = parse_or_null(text);
    if (!j.is_array()) return out;
    for (const auto& v : j) {
        if (!v.is_object()) continue;
        core::FrameResult r{v.value("frame", 0),
                            v.value("output", std::string()),
                            v.value("render_seconds", 0.0),
                            v.value("peak_memory_bytes", std::int64_t{0}),
                            {}};
        if (auto w = v.find("warnings"); w != v.end() && w->is_array()) {
            for (const auto& text : *w)
                if (text.is_string()) r.warnings.push_back(text.get<std::string>());
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace spotfarm::store
