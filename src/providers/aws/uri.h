#pragma once
// URL pieces for SigV4 and the EC2 Query API; their percent-encoding is util/percent_encoding.h.

#include <string>
#include <string_view>

#include "util/percent_encoding.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// A Query API request's parameters, in the order they are sent.
using QueryParams = util::QueryFields;

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
