#pragma once
// Decides when a Blender that renders a frame must be killed: no sign of life for too long
// (a hang, e.g. an add-on that keeps Blender from finishing), or a frame over its time limit.
// It only keeps time; the caller polls expired() and does the killing.

#include <chrono>
#include <optional>
#include <string>

#include "util/clock.h"

namespace spotfarm::blender {

// A limit of zero is no limit.
struct WatchdogLimits {
    std::chrono::milliseconds no_progress{std::chrono::minutes(10)};  // --stall-timeout
    std::chrono::milliseconds frame_limit{0};                         // --frame-timeout
};

class Watchdog {
public:
    // `clock` must outlive the watchdog.
    Watchdog(const util::Clock& clock, WatchdogLimits limits);

    // A frame starts: both timers restart. A negative frame stands for loading the scene.
    void frame_started(int frame);
    // Any sign of life (a progress line): the no-progress timer restarts.
    void progress();
    // The frame is over; the watchdog is idle until the next frame_started().
    void frame_finished();

    // Why the running frame must be killed, e.g. "frame 12: no progress for 30 s (limit
    // --stall-timeout 30s)" or "frame 12 ran over its 60 s limit (--frame-timeout)";
    // nullopt while within limits or idle. When both limits have passed, the one passed first.
    std::optional<std::string> expired() const;
    // Time until the nearest deadline (zero once one has passed), for poll timeouts; nullopt
    // when idle or when no limit is set.
    std::optional<std::chrono::milliseconds> time_left() const;

private:
    struct Deadline {
        util::Clock::time_point at;
        bool stall;  // true: no progress; false: the frame limit
    };
    std::optional<Deadline> next_deadline() const;

    const util::Clock& m_clock;
    WatchdogLimits m_limits;
    bool m_running = false;
    int m_frame = -1;
    util::Clock::time_point m_started{};
    util::Clock::time_point m_last_progress{};
};

}  // namespace spotfarm::blender
