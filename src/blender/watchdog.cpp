#include "blender/watchdog.h"

#include <fmt/format.h>

#include "util/duration_text.h"

namespace spotfarm::blender {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

std::string frame_label(int frame) {
    return frame < 0 ? std::string("loading the scene") : fmt::format("frame {}", frame);
}

}  // namespace

Watchdog::Watchdog(const util::Clock& clock, WatchdogLimits limits)
    : m_clock(clock), m_limits(limits) {}

void Watchdog::frame_started(int frame) {
    m_running = true;
    m_frame = frame;
    m_started = m_clock.now();
    m_last_progress = m_started;
}

void Watchdog::progress() {
    m_last_progress = m_clock.now();
}

void Watchdog::frame_finished() {
    m_running = false;
}

std::optional<Watchdog::Deadline> Watchdog::next_deadline() const {
    if (!m_running) return std::nullopt;
    std::optional<Deadline> next;
    if (m_limits.no_progress.count() > 0)
        next = Deadline{m_last_progress + m_limits.no_progress, true};
    if (m_limits.frame_limit.count() > 0) {
        const auto at = m_started + m_limits.frame_limit;
        if (!next || at < next->at) next = Deadline{at, false};
    }
    return next;
}

std::optional<std::string> Watchdog::expired() const {
    const auto deadline = next_deadline();
    const auto now = m_clock.now();
    if (!deadline || now < deadline->at) return std::nullopt;
    if (deadline->stall) {
        return fmt::format(
            "{}: no progress for {} (limit --stall-timeout {})", frame_label(m_frame),
            util::describe_duration(duration_cast<milliseconds>(now - m_last_progress)),
            util::option_duration(m_limits.no_progress));
    }
    return fmt::format("{} ran over its {} limit (--frame-timeout)", frame_label(m_frame),
                       util::describe_duration(m_limits.frame_limit));
}

std::optional<milliseconds> Watchdog::time_left() const {
    const auto deadline = next_deadline();
    if (!deadline) return std::nullopt;
    const auto now = m_clock.now();
    if (deadline->at <= now) return milliseconds(0);
    // Round up so that a poll that waits this long finds the deadline passed.
    return std::chrono::ceil<milliseconds>(deadline->at - now);
}

}  // namespace spotfarm::blender
