#pragma once
// URL pieces and the percent-encoding AWS uses (RFC 3986 unreserved characters stay, every other
// byte becomes %XX with upper-case hex), for SigV4 and Query API bodies.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace spotfarm::providers::aws {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

std::string uri_encode(std::string_view text, bool keep_slash = false);

// %XX becomes the byte; a malformed escape stays as written.
std::string uri_decode(std::string_view text);

// "a=1&b=2" with both sides uri_encode()d, in the given order.
std::string form_encode(const QueryParams& params);

// Splits "a=1&b=x+y" into decoded pairs; '+' is a space as in HTML forms unless told otherwise
// (SigV4 keeps it a plus).
QueryParams form_decode(std::string_view body, bool plus_is_space = true);

struct Url {
    std::string scheme;  // "http" or "https"
    std::string host;
    int port = 0;       // the scheme's default when the URL names none
    std::string path;   // at least "/"
    std::string query;  // without '?'

    // The Host header value: the port is left out when it is the scheme's default.
    std::string host_header() const;
};

util::Result<Url> parse_url(std::string_view url);

}  // namespace spotfarm::providers::aws
