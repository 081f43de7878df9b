#pragma once
// The checks on one scalar value that every protocol shares: its type, its enum, its minimum.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace spotfarm::testing {

// What is wrong with `text` as a value of the scalar `shape` written as text (a Query parameter,
// an XML element); nullopt when nothing is.
std::optional<std::string> text_value_problem(const nlohmann::json& shape, std::string_view text);

// What is wrong with a string's enum and minimum length (botocore's validator checks `min` only).
std::optional<std::string> string_problem(const nlohmann::json& shape, std::string_view text);

// What is wrong with a number under the shape's `min`.
std::optional<std::string> number_problem(const nlohmann::json& shape, double value);

}  // namespace spotfarm::testing
