#pragma once
// --listen ADDRESS:PORT, as `spotfarm manager` and `spotfarm render --cloud` take it.

#include <cstdint>
#include <string>

namespace spotfarm::cli {

// Splits "127.0.0.1:8420", "0.0.0.0:8420" or "[::1]:8420" into address (brackets dropped) and
// port; false when either part is missing or the port is not a number up to 65535.
bool split_listen(const std::string& text, std::string& address, std::uint16_t& port);

}  // namespace spotfarm::cli
