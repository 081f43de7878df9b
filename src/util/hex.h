#pragma once
// Bytes as hexadecimal text, and back one digit at a time.

#include <string>
#include <string_view>

namespace spotfarm::util {

// Two lower-case hex digits per byte: how digests, signatures and secrets are written.
std::string hex_encode(std::string_view bytes);

// The value (0-15) of the hex digit `c`, in either case; -1 when `c` is not one.
int hex_value(char c);

}  // namespace spotfarm::util
