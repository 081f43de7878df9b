#pragma once
// Whether the worker is leaving, why, and by when. Fed by SIGTERM/SIGINT (a counter the signal
// handler bumps), by the interruption watcher and by the end of the machine's allocation (a
// Slurm time limit); the loop asks it before each claim and at every progress tick.

#include <atomic>
#include <optional>

#include "protocol/protocol.h"
#include "util/clock.h"
#include "worker/interruption_watcher.h"

namespace spotfarm::worker {

class DrainMonitor {
public:
    // `grace`: how long after a first SIGTERM/SIGINT the worker may still run. `signals` and
    // `watcher` may be null.
    DrainMonitor(const util::Clock& clock, const std::atomic<int>* signals,
                 InterruptionWatcher* watcher, util::Clock::duration grace);

    // The allocation ends at `end` (Slurm's SIGTERM then comes): the drain begins once the longest
    // frame measured here, plus `margin` for reporting, no longer fits before `end` less a safety
    // margin, so no frame is claimed that cannot finish, and the drain's deadline is that time.
    void set_time_limit(util::Clock::time_point end, util::Clock::duration margin);
    // A frame took `took` here: the longest one decides when a time limit starts the drain (the
    // first one only until others are known, as it includes Blender's start).
    void note_frame_time(util::Clock::duration took);

    // Looks at the signal counter and the time limit, and asks the watcher when its interval
    // has passed.
    void update();

    bool draining() const { return m_reason.has_value(); }
    protocol::LeaveReason reason() const {
        return m_reason.value_or(protocol::LeaveReason::shutdown);
    }
    // When the grace period or the machine ends; none after a mere rebalance hint.
    std::optional<util::Clock::time_point> deadline() const { return m_deadline; }
    // A second signal: give up the frame in progress at once.
    bool urgent() const { return m_urgent; }

private:
    void begin(protocol::LeaveReason reason, std::optional<util::Clock::time_point> deadline);
    void check_time_limit(util::Clock::time_point now);

    const util::Clock& m_clock;
    const std::atomic<int>* m_signals;
    InterruptionWatcher* m_watcher;
    util::Clock::duration m_grace;
    std::optional<util::Clock::time_point> m_next_watch;
    std::optional<protocol::LeaveReason> m_reason;
    std::optional<util::Clock::time_point> m_deadline;
    bool m_signaled = false;
    bool m_urgent = false;
    std::optional<util::Clock::time_point> m_time_limit;  // less the safety margin
    util::Clock::duration m_time_limit_margin{};
    util::Clock::duration m_longest_frame{};
    util::Clock::duration m_longest_later{};  // of the frames after the first
    int m_frames_noted = 0;
};

}  // namespace spotfarm::worker
