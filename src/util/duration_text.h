#pragma once
// Durations as text: for people in progress lines, summaries and messages, and as option values.

#include <chrono>
#include <string>

namespace spotfarm::util {

// "0.25 s", "1 min 05 s", "1 h 02 min": a measured time, to the hundredth below a minute.
std::string format_seconds(double seconds);
// "45 s", "10 min", "1 h 30 min": a limit or a wait, in whole units.
std::string describe_duration(std::chrono::milliseconds d);
// "30s", "10m", "2h", "1500ms": a duration as a command-line option value.
std::string option_duration(std::chrono::milliseconds d);

}  // namespace spotfarm::util
