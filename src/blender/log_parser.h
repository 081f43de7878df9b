#pragma once
// Blender's stdout/stderr, line by line, turned into events (log_events.h): progress, saved
// frames, frame times, errors and warnings, for Blender 2.9x, 3.x, 4.x and 5.x.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blender/log_events.h"

namespace spotfarm::blender {

class LogParser {
public:
    // Feeds one line (no trailing newline) and returns the events it completes. A Python error
    // spans lines and becomes ONE ErrorEvent (kind python_traceback, the exception line as
    // message), returned by the first line after the traceback (or by finish()); Blender's
    // "Error: script failed, ..." right after it is folded into that event. An error repeated
    // within one frame (Cycles prints a GPU error raw and again with "Error:") is returned once.
    std::vector<LogEvent> feed(std::string_view line);
    // The end of the stream: returns a Python error still being read.
    std::vector<LogEvent> finish();

private:
    enum class Traceback { none, frames, exception, chained };

    // True if the line belongs to a Python error being read; appends the error once it ends.
    bool feed_traceback(std::string_view body, std::vector<LogEvent>& events);
    // True if the line starts a Python error.
    bool start_traceback(std::string_view body);
    void end_traceback(std::vector<LogEvent>& events);
    void add(LogEvent event, std::vector<LogEvent>& events);

    Traceback m_traceback = Traceback::none;
    std::string m_exception;  // the exception line of the Python error being read
    bool m_after_traceback = false;
    std::optional<ErrorEvent> m_last_error;
    int m_frame = -1;
};

}  // namespace spotfarm::blender
