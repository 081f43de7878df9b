#include "support/aws_model_values.h"

#include <cstdlib>
#include <regex>

#include "util/utc_time.h"

namespace spotfarm::testing {

std::optional<std::string> string_problem(const nlohmann::json& shape, std::string_view text) {
    const std::string value(text);
    if (shape.contains("enum")) {
        for (const auto& allowed : shape["enum"])
            if (allowed == value) return std::nullopt;
        return "'" + value + "' is not one of the enum's values";
    }
    // A catalogue's new names (c8g.4xlarge) have the form of the known ones: family.size.
    if (shape.contains("open_enum")) {
        static const std::regex form("[a-z0-9-]+\\.[a-z0-9-]+");
        if (!std::regex_match(value, form))
            return "'" + value + "' does not look like one of the enum's values (" +
                   shape["open_enum"][0].get<std::string>() + ")";
    }
    if (shape.contains("min") && double(text.size()) < shape["min"].get<double>())
        return "'" + value + "' is shorter than " + shape["min"].dump() + " characters";
    return std::nullopt;
}

std::optional<std::string> number_problem(const nlohmann::json& shape, double value) {
    if (shape.contains("min") && value < shape["min"].get<double>())
        return std::to_string(value) + " is under the minimum " + shape["min"].dump();
    return std::nullopt;
}

std::optional<std::string> text_value_problem(const nlohmann::json& shape, std::string_view text) {
    const std::string type = shape["type"].get<std::string>();
    const std::string value(text);
    if (type == "string") return string_problem(shape, text);
    if (type == "integer" || type == "long") {
        if (value.empty() || value.find_first_not_of("-0123456789") != std::string::npos)
            return "'" + value + "' is not an integer";
        return number_problem(shape, std::strtod(value.c_str(), nullptr));
    }
    if (type == "boolean")
        return value == "true" || value == "false"
                   ? std::nullopt
                   : std::optional<std::string>("'" + value + "' is not true or false");
    if (type == "double" || type == "float") {
        char* end = nullptr;
        const double number = std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0') return "'" + value + "' is not a number";
        return number_problem(shape, number);
    }
    if (type == "timestamp")
        return util::parse_iso8601_utc(value)
                   ? std::nullopt
                   : std::optional<std::string>("'" + value + "' is not an ISO 8601 time");
    if (type == "blob")
        return value.find_first_not_of(
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   "0123456789+/=") == std::string::npos
                   ? std::nullopt
                   : std::optional<std::string>("a blob is sent as base64");
    return "a " + type + " takes no value of its own";
}

}  // namespace spotfarm::testing
