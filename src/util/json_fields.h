#pragma once
// Reading a JSON object field by field with every type checked, so a request or an answer that is
// wrong is turned into an error that names the field ("ProgressReport: field 'frame' must be an
// integer, not a string") instead of an exception from deep inside the JSON library.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace spotfarm::util {

namespace json_detail {
// Each returns the problem with `j` as a value of the target type ("must be a string, not ..."),
// or nothing when `out` was set.
std::optional<std::string> read_value(const nlohmann::json& j, std::string& out);
std::optional<std::string> read_value(const nlohmann::json& j, bool& out);
std::optional<std::string> read_value(const nlohmann::json& j, int& out);
std::optional<std::string> read_value(const nlohmann::json& j, std::int64_t& out);
std::optional<std::string> read_value(const nlohmann::json& j, double& out);
std::optional<std::string> read_value(const nlohmann::json& j, std::vector<std::string>& out);
}  // namespace json_detail

// "a string", "an array", ... for messages.
std::string json_kind(const nlohmann::json& j);

class JsonFields {
public:
    // `where` names the object in messages: "Assignment", "Assignment.job", "frames[2]".
    JsonFields(const nlohmann::json& value, std::string where);

    // A field that must be present and not null.
    template <class T>
    JsonFields& required(std::string_view key, T& out) {
        if (const nlohmann::json* j = present(key, true))
            take(key, json_detail::read_value(*j, out));
        return *this;
    }
    // A field that may be absent or null (then `out` is left empty).
    template <class T>
    JsonFields& optional(std::string_view key, std::optional<T>& out) {
        if (const nlohmann::json* j = present(key, false)) {
            T value{};
            auto problem = json_detail::read_value(*j, value);
            if (!problem) out = std::move(value);
            take(key, std::move(problem));
        }
        return *this;
    }
    // A field that may be absent or null (then `out` keeps the default it holds).
    template <class T>
    JsonFields& defaulted(std::string_view key, T& out) {
        if (const nlohmann::json* j = present(key, false))
            take(key, json_detail::read_value(*j, out));
        return *this;
    }
    // A field read by `parse(json, where) -> Result<T>`, for nested objects and special formats.
    template <class T, class Parse>
    JsonFields& required_with(std::string_view key, T& out, Parse parse) {
        if (const nlohmann::json* j = present(key, true)) {
            Result<T> value = parse(*j, path(key));
            if (value) {
                out = std::move(value).value();
            } else if (!m_problem) {
                m_problem = value.error().message;
            }
        }
        return *this;
    }

    // The same for a field that may be absent or null (then `out` keeps its value).
    template <class T, class Parse>
    JsonFields& optional_with(std::string_view key, T& out, Parse parse) {
        if (m_problem || !present(key, false)) return *this;
        return required_with(key, out, parse);
    }

    // Records `problem` for `key` unless `ok` (range checks after reading).
    JsonFields& check(bool ok, std::string_view key, std::string_view problem);

    bool ok() const { return !m_problem.has_value(); }
    // The first problem found, or success.
    Status status() const;
    // "where.key", as nested readers name their object.
    std::string path(std::string_view key) const;

private:
    const nlohmann::json* present(std::string_view key, bool required);
    void take(std::string_view key, std::optional<std::string> problem);

    const nlohmann::json& m_value;
    std::string m_where;
    std::optional<std::string> m_problem;
};

// Parses JSON text; the error names `where` and the position of the syntax error.
Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view where);

}  // namespace spotfarm::util
