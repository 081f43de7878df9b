#pragma once
// UTC timestamps as AWS writes them: ISO 8601 ("2015-08-30T12:36:00Z", "2018-05-08T16:46:19.000Z")
// and the compact SigV4 form ("20150830T123600Z").

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::util {

// Accepts "YYYY-MM-DDTHH:MM:SS" with optional fractional seconds and a "Z" or "+00:00" suffix.
Result<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ", whole seconds.
std::string format_iso8601_utc(std::chrono::system_clock::time_point t);

// "YYYYMMDDTHHMMSSZ", whole seconds.
std::string format_compact_utc(std::chrono::system_clock::time_point t);

}  // namespace spotfarm::util
