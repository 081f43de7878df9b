#pragma once
// Times for people in tables and details: ages ("45s", "12m", "3h", "2d") and UTC dates.

#include <cstdint>
#include <string>

namespace spotfarm::cli {

// How long ago `then_ms` was at `now_ms` (Unix milliseconds), in its largest whole unit;
// "-" when `then_ms` is not set (<= 0). A time in the future reads "0s".
std::string format_age(std::int64_t then_ms, std::int64_t now_ms);

// "2026-11-28 20:43:17 UTC"; "-" when not set (<= 0).
std::string format_utc(std::int64_t unix_ms);

// The wall clock now, in Unix milliseconds.
std::int64_t wall_now_ms();

}  // namespace spotfarm::cli
