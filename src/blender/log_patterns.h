#pragma once
// Recognisers for single lines of Blender's output (3.x, 4.x, 5.x and 2.9x). Patterns are found
// anywhere in a line, never anchored at its start: Blender 5 prefixes lines with its log clock and
// category ("00:03.906  render | Fra: 4 | ...").

#include <optional>
#include <string_view>

#include "blender/log_events.h"

namespace spotfarm::blender {

// Seconds in a Blender duration: "00:01.23" (minutes:seconds), "01:02:03.45" (hours), "7.5".
// Surrounding whitespace is allowed; anything else gives nullopt.
std::optional<double> parse_blender_time(std::string_view text);

// The line without Blender 5's "00:03.906  render | " prefix (unchanged if it has none).
std::string_view strip_log_prefix(std::string_view line);

// The progress a "Fra:" line reports, or nullopt for other lines.
std::optional<ProgressEvent> parse_progress_line(std::string_view line);

// The path of a "Saved: '...'" line, or nullopt.
std::optional<SavedEvent> parse_saved_line(std::string_view line);

// The times of a "Time: 00:01.32 (Saving: 00:00.15)" line, or nullopt.
std::optional<FrameTimeEvent> parse_frame_time_line(std::string_view line);

// An error or warning that one line states on its own, or nullopt. Python errors span lines and
// are left to LogParser.
std::optional<LogEvent> parse_problem_line(std::string_view line);

// The kind of an error from its text.
ErrorKind classify_error(std::string_view message);

}  // namespace spotfarm::blender
