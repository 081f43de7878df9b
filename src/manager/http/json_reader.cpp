#include "manager/http/json_reader.h"

#include <limits>

#include "manager/http/request_json.h"

namespace spotfarm::manager::http {
namespace {

using Json = nlohmann::json;

std::string type_of(const Json& value) {
    if (value.is_number_integer()) return "an integer";
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_boolean()) return "a boolean";
    if (value.is_array()) return "an array";
    if (value.is_object()) return "an object";
    return "null";
}

}  // namespace

JsonReader::JsonReader(std::string_view body) {
    bool blank = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (blank) {
        m_json = Json::object();
        return;
    }
    if (json_depth(body, k_max_json_depth) > k_max_json_depth) {
        m_json = Json::object();
        fail("nested_too_deeply", "the request body is nested too deeply: at most " +
                                      std::to_string(k_max_json_depth) +
                                      " levels of arrays and objects");
        return;
    }
    try {
        m_json = Json::parse(body);
    } catch (const Json::exception& e) {
        // nlohmann reports through exceptions only; it stops here and becomes a value. Not only
        // parse_error: a number too large for a double ("1e999") is an out_of_range.
        std::string detail = e.what();
        if (auto bracket = detail.find("] ");
            detail.starts_with("[") && bracket != std::string::npos) {
            detail.erase(0, bracket + 2);
        }
        m_json = Json::object();
        fail("malformed_json", "the request body is not valid JSON: " + detail);
        return;
    }
    if (!m_json.is_object()) {
        std::string found = type_of(m_json);
        m_json = Json::object();
        fail("not_an_object", "the request body must be a JSON object ({...}), not " + found);
    }
}

JsonReader::JsonReader(const Json& object, std::string where)
    : m_json(object.is_object() ? object : Json::object()), m_where(std::move(where)) {
    if (!object.is_object()) {
        fail("wrong_type", "field '" + m_where + "' must be an object, not " + type_of(object));
    }
}

Response JsonReader::error() const {
    if (!m_error) return error_response(400, "bad_request", "the request body was not accepted");
    return error_response(m_error->status, m_error->code, m_error->message);
}

void JsonReader::fail(std::string_view code, std::string message, int status) {
    if (!m_error) m_error = Failure{status, std::string(code), std::move(message)};
}

bool JsonReader::has(std::string_view key) const {
    auto it = m_json.find(key);
    return it != m_json.end() && !it->is_null();
}

std::string JsonReader::name(std::string_view key) const {
    return m_where.empty() ? std::string(key) : m_where + "." + std::string(key);
}

const Json* JsonReader::field(std::string_view key, bool required) {
    auto it = m_json.find(key);
    if (it == m_json.end() || it->is_null()) {
        if (required) fail("missing_field", "the request body needs the field '" + name(key) + "'");
        return nullptr;
    }
    return &*it;
}

void JsonReader::wrong_type(std::string_view key, std::string_view wanted, const Json& value) {
    fail("wrong_type",
         "field '" + name(key) + "' must be " + std::string(wanted) + ", not " + type_of(value));
}

std::optional<std::string> JsonReader::optional_string(std::string_view key) {
    const Json* value = field(key, false);
    if (!value) return std::nullopt;
    if (!value->is_string()) {
        wrong_type(key, "a string", *value);
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::string JsonReader::string(std::string_view key) {
    if (!field(key, true)) return {};
    return optional_string(key).value_or(std::string());
}

std::optional<std::int64_t> JsonReader::optional_integer(std::string_view key, std::int64_t min,
                                                         std::int64_t max) {
    const Json* value = field(key, false);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) {
        wrong_type(key, "an integer", *value);
        return std::nullopt;
    }
    bool too_big = value->is_number_unsigned() &&
                   value->get<std::uint64_t>() >
                       static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::int64_t number =
        too_big ? std::numeric_limits<std::int64_t>::max() : value->get<std::int64_t>();
    if (too_big || number < min || number > max) {
        fail("out_of_range", "field '" + name(key) + "' must be between " + std::to_string(min) +
                                 " and " + std::to_string(max) + ", not " + value->dump());
        return std::nullopt;
    }
    return number;
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    if (!field(key, true)) return min;
    return optional_integer(key, min, max).value_or(min);
}

std::optional<double> JsonReader::optional_number(std::string_view key, double min, double max) {
    const Json* value = field(key, false);
    if (!value) return std::nullopt;
    if (!value->is_number()) {
        wrong_type(key, "a number", *value);
        return std::nullopt;
    }
    double number = value->get<double>();
    if (!(number >= min && number <= max)) {
        fail("out_of_range", "field '" + name(key) + "' must be between " + Json(min).dump() +
                                 " and " + Json(max).dump() + ", not " + value->dump());
        return std::nullopt;
    }
    return number;
}

double JsonReader::number(std::string_view key, double min, double max) {
    if (!field(key, true)) return min;
    return optional_number(key, min, max).value_or(min);
}

std::optional<bool> JsonReader::optional_boolean(std::string_view key) {
    const Json* value = field(key, false);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) {
        wrong_type(key, "true or false", *value);
        return std::nullopt;
    }
    return value->get<bool>();
}

bool JsonReader::boolean(std::string_view key) {
    if (!field(key, true)) return false;
    return optional_boolean(key).value_or(false);
}

std::vector<std::string> JsonReader::string_list(std::string_view key) {
    std::vector<std::string> list;
    const Json* value = field(key, false);
    if (!value) return list;
    if (!value->is_array()) {
        wrong_type(key, "an array of strings", *value);
        return list;
    }
    for (const Json& item : *value) {
        if (!item.is_string()) {
            fail("wrong_type",
                 "field '" + name(key) + "' must hold only strings, not " + type_of(item));
            return {};
        }
        list.push_back(item.get<std::string>());
    }
    return list;
}

const Json* JsonReader::optional_object(std::string_view key) {
    const Json* value = field(key, false);
    if (!value) return nullptr;
    if (!value->is_object()) {
        wrong_type(key, "an object", *value);
        return nullptr;
    }
    return value;
}

}  // namespace spotfarm::manager::http
