#pragma once
// The worker's way to wait: a util::Sleeper that a stop signal wakes early.

#include <atomic>

#include "util/sleeper.h"

namespace spotfarm::worker {

// The real one: sleeps in short slices and returns early once `*wake` differs from its value at
// the start (the signal counter), so a SIGTERM during a back-off is seen within a slice.
class SignalAwareSleeper final : public util::Sleeper {
public:
    explicit SignalAwareSleeper(const std::atomic<int>* wake = nullptr) : m_wake(wake) {}
    void sleep_for(util::Clock::duration d) override;

private:
    const std::atomic<int>* m_wake;
};

}  // namespace spotfarm::worker
