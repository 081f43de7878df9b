#pragma once
// Clock readings and durations as counts of seconds, for records and messages.

#include "util/clock.h"

namespace spotfarm::util {

// The seconds from `from` to `to`, with their fraction; negative when `to` comes first.
double seconds_between(Clock::time_point from, Clock::time_point to);

// The whole seconds in `d`, the fraction dropped (toward zero): "silent for 12 s".
long long whole_seconds(Clock::duration d);

}  // namespace spotfarm::util
