#pragma once
// Whether the worker is leaving, why, and by when. Fed by SIGTERM/SIGINT (a counter the signal
// handler bumps) and by the interruption watcher; the loop asks it before each claim and at every
// progress tick.

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

    // Looks at the signal counter, and asks the watcher when its interval has passed.
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

    const util::Clock& m_clock;
    const std::atomic<int>* m_signals;
    InterruptionWatcher* m_watcher;
    util::Clock::duration m_grace;
    std::optional<util::Clock::time_point> m_next_watch;
    std::optional<protocol::LeaveReason> m_reason;
    std::optional<util::Clock::time_point> m_deadline;
    bool m_signaled = false;
    bool m_urgent = false;
};

}  // namespace spotfarm::worker
