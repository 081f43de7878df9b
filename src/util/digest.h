#pragma once
// SHA-256 and HMAC-SHA256 from OpenSSL: for signing AWS requests and keeping hashes of secrets.

#include <string>
#include <string_view>

#include "util/hex.h"

namespace spotfarm::util {

// Raw 32-byte digests in a std::string.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// The SHA-256 of `data` in lower-case hex (64 characters).
inline std::string sha256_hex(std::string_view data) {
    return hex_encode(sha256(data));
}

}  // namespace spotfarm::util
