#pragma once
// Reading fields of the manager's answers leniently: a field that is missing or of another type
// reads as a default, so a manager a version apart still gives a readable table.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace spotfarm::cli {

inline const nlohmann::json& field(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json k_null;
    if (!object.is_object()) return k_null;
    auto it = object.find(key);
    return it == object.end() ? k_null : *it;
}

inline std::string text_field(const nlohmann::json& object, std::string_view key,
                              std::string fallback = "") {
    const auto& value = field(object, key);
    return value.is_string() ? value.get<std::string>() : fallback;
}

inline std::int64_t int_field(const nlohmann::json& object, std::string_view key,
                              std::int64_t fallback = 0) {
    const auto& value = field(object, key);
    return value.is_number() ? value.get<std::int64_t>() : fallback;
}

// An id or a count as text; "-" when absent or null.
inline std::string id_text(const nlohmann::json& value) {
    return value.is_number_integer() ? std::to_string(value.get<std::int64_t>()) : "-";
}

// Integers of a JSON array joined by ", " ("-" when none).
inline std::string id_list(const nlohmann::json& values, std::string_view separator = ", ") {
    std::string out;
    if (values.is_array()) {
        for (const auto& value : values) {
            if (!out.empty()) out += separator;
            out += id_text(value);
        }
    }
    return out.empty() ? "-" : out;
}

// The list of a list answer: the manager sends {"jobs": [...]}; a bare array reads as itself.
inline const nlohmann::json& list_in(const nlohmann::json& answer, std::string_view key) {
    const auto& inner = field(answer, key);
    return inner.is_array() ? inner : answer;
}

}  // namespace spotfarm::cli
