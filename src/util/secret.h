#pragma once
// Secrets: random tokens from the system's cryptographic generator, and comparison that takes the
// same time wherever the inputs differ, so a caller cannot guess a token byte by byte.

#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::util {

// `bytes` random bytes from OpenSSL's RAND_bytes, as lower-case hex (2 * bytes characters); an
// `unavailable` Error when the system's random source fails.
Result<std::string> random_hex(std::size_t bytes);

// Whether a and b are equal, in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace spotfarm::util
