#pragma once
// Sizes and rates as people read them in the transfer commands' summaries.

#include <cstdint>
#include <string>

namespace spotfarm::cli {

// 0 -> "0 B", 1536 -> "1.5 KiB", 3 << 30 -> "3.0 GiB".
std::string byte_text(std::int64_t bytes);
// Decimal megabytes per second, as network speeds are quoted: "412 MB/s"; "-" for no time.
std::string rate_text(std::int64_t bytes, double seconds);

}  // namespace spotfarm::cli
