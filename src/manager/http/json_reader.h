#pragma once
// Reads a JSON request body field by field with type and range checks. The first problem is kept
// and every later read returns a default, so a handler reads all its fields and checks once:
//
//     JsonReader in(request.body);
//     auto name = in.string("name");
//     auto cores = in.integer("cores", 1, 4096);
//     if (!in.ok()) return in.error();
//
// An empty body reads as {}. Errors are 400 with code malformed_json, nested_too_deeply,
// not_an_object, missing_field, wrong_type or out_of_range (or a code given to fail()).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "manager/http/response.h"

namespace spotfarm::manager::http {

class JsonReader {
public:
    explicit JsonReader(std::string_view body);
    // Reads fields of an object already parsed (a nested one); `where` prefixes field names in
    // messages ("job.frames").
    JsonReader(const nlohmann::json& object, std::string where);

    bool ok() const { return !m_error; }
    // The 400 answer for the first problem.
    Response error() const;
    // Records a problem found by the handler's own checks, unless one was recorded already.
    void fail(std::string_view code, std::string message, int status = 400);

    const nlohmann::json& object() const { return m_json; }
    bool has(std::string_view key) const;

    std::string string(std::string_view key);
    std::optional<std::string> optional_string(std::string_view key);
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max);
    double number(std::string_view key, double min, double max);
    std::optional<double> optional_number(std::string_view key, double min, double max);
    bool boolean(std::string_view key);
    std::optional<bool> optional_boolean(std::string_view key);
    // A list of strings; absent reads as empty.
    std::vector<std::string> string_list(std::string_view key);
    // A nested object (null when absent or on error), to read with JsonReader(object, where).
    const nlohmann::json* optional_object(std::string_view key);

private:
    struct Failure {
        int status;
        std::string code;
        std::string message;
    };

    // The field's value: null if absent (and, when `required`, records missing_field).
    const nlohmann::json* field(std::string_view key, bool required);
    void wrong_type(std::string_view key, std::string_view wanted, const nlohmann::json& value);
    std::string name(std::string_view key) const;

    nlohmann::json m_json;
    std::string m_where;
    std::optional<Failure> m_error;
};

}  // namespace spotfarm::manager::http
