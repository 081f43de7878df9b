#include "blender/log_parser.h"

#include <utility>

#include "blender/log_patterns.h"
#include "util/ascii.h"

namespace spotfarm::blender {
namespace {

constexpr std::string_view k_traceback = "Traceback (most recent call last):";
constexpr std::string_view k_python_prefix = "Error: Python:";

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool is_blank(std::string_view s) {
    return util::trim(s).empty();
}

bool is_indented(std::string_view s) {
    return !s.empty() && (s.front() == ' ' || s.front() == '\t');
}

}  // namespace

std::vector<LogEvent> LogParser::feed(std::string_view line) {
    std::vector<LogEvent> events;
    const std::string_view body = strip_log_prefix(line);
    if (feed_traceback(body, events)) return events;
    if (is_blank(body)) return events;
    if (m_after_traceback) {
        m_after_traceback = false;
        // "Error: script failed, file: '...', exiting." only repeats the traceback before it.
        if (body.find("script failed") != std::string_view::npos) return events;
    }
    if (start_traceback(body)) return events;

    if (auto progress = parse_progress_line(body)) {
        add(std::move(*progress), events);
    } else if (auto saved = parse_saved_line(body)) {
        add(std::move(*saved), events);
    } else if (auto time = parse_frame_time_line(body)) {
        add(*time, events);
    } else if (auto problem = parse_problem_line(body)) {
        add(std::move(*problem), events);
    }
    return events;
}

std::vector<LogEvent> LogParser::finish() {
    std::vector<LogEvent> events;
    if (m_traceback != Traceback::none) end_traceback(events);
    return events;
}

bool LogParser::start_traceback(std::string_view body) {
    if (const std::size_t pos = body.find(k_python_prefix); pos != std::string_view::npos) {
        // Blender reports Python errors as "Error: Python: " and the first line of the error:
        // a traceback header, a SyntaxError's indented "  File ..." line, or the exception itself.
        const std::string_view rest = body.substr(pos + k_python_prefix.size());
        if (rest.find(k_traceback) != std::string_view::npos ||
            (rest.size() > 1 && is_indented(rest.substr(1)))) {
            m_traceback = Traceback::frames;
            m_exception.clear();
        } else {
            m_traceback = Traceback::exception;
            m_exception = std::string(util::trim(rest));
        }
        return true;
    }
    if (body.find(k_traceback) != std::string_view::npos) {
        m_traceback = Traceback::frames;
        m_exception.clear();
        return true;
    }
    return false;
}

bool LogParser::feed_traceback(std::string_view body, std::vector<LogEvent>& events) {
    switch (m_traceback) {
        case Traceback::none:
            return false;
        case Traceback::frames:
            if (is_blank(body) || is_indented(body) || body.find(k_traceback) != body.npos) {
                return true;
            }
            m_exception = std::string(util::trim(body));
            m_traceback = Traceback::exception;
            return true;
        case Traceback::exception:
        case Traceback::chained:
            if (is_blank(body)) return true;
            if (starts_with(body, "During handling of the above exception") ||
                starts_with(body, "The above exception was the direct cause")) {
                m_traceback = Traceback::chained;
                return true;
            }
            if (m_traceback == Traceback::chained && body.find(k_traceback) != body.npos) {
                m_traceback = Traceback::frames;
                return true;
            }
            end_traceback(events);
            return false;
    }
    return false;
}

void LogParser::end_traceback(std::vector<LogEvent>& events) {
    std::string message = m_exception.empty()
                              ? "Python error (the traceback ended before its exception line)"
                              : std::move(m_exception);
    m_traceback = Traceback::none;
    m_exception.clear();
    m_after_traceback = true;
    add(ErrorEvent{ErrorKind::python_traceback, std::move(message)}, events);
}

void LogParser::add(LogEvent event, std::vector<LogEvent>& events) {
    if (const auto* error = std::get_if<ErrorEvent>(&event)) {
        if (m_last_error && *m_last_error == *error) return;
        m_last_error = *error;
    } else if (const auto* progress = std::get_if<ProgressEvent>(&event)) {
        if (progress->frame != m_frame) m_last_error.reset();
        m_frame = progress->frame;
    } else if (!std::holds_alternative<WarningEvent>(event)) {
        m_last_error.reset();  // a frame ended: the same error again is a new failure
    }
    events.push_back(std::move(event));
}

}  // namespace spotfarm::blender
