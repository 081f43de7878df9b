#pragma once
// Base64 (RFC 4648) from OpenSSL, for bodies that must be plain text (EC2's UserData).

#include <string>
#include <string_view>

namespace spotfarm::util {

// Standard base64 with padding, no line breaks.
std::string base64_encode(std::string_view bytes);

}  // namespace spotfarm::util
