#pragma once
// The few digests AWS needs (SHA-256, HMAC-SHA256, hex, base64), from OpenSSL.

#include <string>
#include <string_view>

namespace spotfarm::providers::aws {

// Raw 32-byte digests in a std::string.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// Lower-case hex, as SigV4 writes hashes and signatures.
std::string hex_encode(std::string_view bytes);
inline std::string sha256_hex(std::string_view data) {
    return hex_encode(sha256(data));
}

// Standard base64 with padding, no line breaks (EC2's UserData).
std::string base64_encode(std::string_view bytes);

}  // namespace spotfarm::providers::aws
