#include "util/json_fields.h"

#include <cmath>
#include <limits>

namespace spotfarm::util {

using nlohmann::json;

std::string json_kind(const json& j) {
    switch (j.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "an integer";
        case json::value_t::number_float:
            return "a number with a fraction";
        default:
            return "an unknown value";
    }
}

namespace json_detail {

namespace {
std::string must_be(std::string_view what, const json& j) {
    return "must be " + std::string(what) + ", not " + json_kind(j);
}
}  // namespace

std::optional<std::string> read_value(const json& j, std::string& out) {
    if (!j.is_string()) return must_be("a string", j);
    out = j.get<std::string>();
    return std::nullopt;
}

std::optional<std::string> read_value(const json& j, bool& out) {
    if (!j.is_boolean()) return must_be("true or false", j);
    out = j.get<bool>();
    return std::nullopt;
}

std::optional<std::string> read_value(const json& j, std::int64_t& out) {
    if (!j.is_number_integer()) return must_be("an integer", j);
    if (j.is_number_unsigned() &&
        j.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
        return "is too large";
    }
    out = j.get<std::int64_t>();
    return std::nullopt;
}

std::optional<std::string> read_value(const json& j, int& out) {
    std::int64_t wide = 0;
    if (auto problem = read_value(j, wide)) return problem;
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
        return "is out of range";
    }
    out = int(wide);
    return std::nullopt;
}

std::optional<std::string> read_value(const json& j, double& out) {
    if (!j.is_number()) return must_be("a number", j);
    out = j.get<double>();
    if (!std::isfinite(out)) return "must be a finite number";
    return std::nullopt;
}

std::optional<std::string> read_value(const json& j, std::vector<std::string>& out) {
    if (!j.is_array()) return must_be("a list of strings", j);
    out.clear();
    out.reserve(j.size());
    for (const json& item : j) {
        if (!item.is_string()) return "must be a list of strings, but holds " + json_kind(item);
        out.push_back(item.get<std::string>());
    }
    return std::nullopt;
}

}  // namespace json_detail

JsonFields::JsonFields(const json& value, std::string where)
    : m_value(value), m_where(std::move(where)) {
    if (!m_value.is_object()) {
        m_problem = m_where + ": expected a JSON object, not " + json_kind(m_value);
    }
}

const json* JsonFields::present(std::string_view key, bool required) {
    if (m_problem) return nullptr;  // report the first problem only
    auto it = m_value.find(key);
    if (it == m_value.end() || it->is_null()) {
        if (required) m_problem = m_where + ": field '" + std::string(key) + "' is missing";
        return nullptr;
    }
    return &*it;
}

void JsonFields::take(std::string_view key, std::optional<std::string> problem) {
    if (problem && !m_problem)
        m_problem = m_where + ": field '" + std::string(key) + "' " + *problem;
}

JsonFields& JsonFields::check(bool ok, std::string_view key, std::string_view problem) {
    if (!ok) take(key, std::string(problem));
    return *this;
}

Status JsonFields::status() const {
    if (m_problem) return make_error(*m_problem);
    return {};
}

std::string JsonFields::path(std::string_view key) const {
    return m_where + "." + std::string(key);
}

Result<json> parse_json_text(std::string_view text, std::string_view where) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for "1e999"
        return make_error(std::string(where) + ": not valid JSON (" + e.what() + ")");
    }
}

}  // namespace spotfarm::util
