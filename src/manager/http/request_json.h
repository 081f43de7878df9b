#pragma once
// Every JSON request body the API reads is parsed here, so that one limit holds for all of them:
// no body nests deeper than k_max_json_depth. A deeply nested document parses fine but later
// work on it (dump(), copies, comparisons) recurses once per level and overflows the stack; a
// cheap scan of the brackets refuses such a body before the parser sees it.

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace spotfarm::manager::http {

// The deepest nesting of arrays and objects a request body may have; the API's bodies use
// three or four levels.
inline constexpr std::size_t k_max_json_depth = 64;

// How deeply `text` nests arrays and objects, counting up to `limit + 1` at most (the scan stops
// there). Brackets inside strings do not count; malformed text is scanned as far as it goes.
std::size_t json_depth(std::string_view text, std::size_t limit);

// A request body as JSON. A blank body reads as {}. Refused (invalid, with a message for the
// caller) when it nests deeper than k_max_json_depth or is not valid JSON.
util::Result<nlohmann::json> parse_request_json(std::string_view body);

}  // namespace spotfarm::manager::http
