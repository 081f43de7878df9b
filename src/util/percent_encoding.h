#pragma once
// Percent-encoding (RFC 3986) and query strings, for the manager's URLs and AWS's signed requests.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spotfarm::util {

// Name-value pairs of a query string or form body, in their order; names may repeat.
using QueryFields = std::vector<std::pair<std::string, std::string>>;

// Unreserved characters (A-Z a-z 0-9 - _ . ~) stay, and '/' too when `keep_slash`; every other
// byte becomes %XX with upper-case hex, as SigV4 requires.
std::string percent_encode(std::string_view text, bool keep_slash = false);

// %XX escapes become their byte, in either case, and '+' a space when `plus_is_space`; a
// malformed escape ("%zz", a '%' near the end) stays as written.
std::string percent_decode(std::string_view text, bool plus_is_space = false);

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}: both sides decoded, "&&" skipped, a name without '='
// has an empty value. '+' reads as a space as in HTML forms unless `plus_is_space` is false
// (SigV4 keeps it a plus).
QueryFields parse_query(std::string_view query, bool plus_is_space = true);

// "a=1&b=2" with both sides percent_encode()d, in the given order.
std::string encode_query(const QueryFields& fields);

}  // namespace spotfarm::util
