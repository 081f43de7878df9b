#pragma once
// Waiting behind an interface: the worker's back-off waits go through it, so tests move a fake
// clock instead of sleeping.

#include <atomic>

#include "util/clock.h"

namespace spotfarm::worker {

class Sleeper {
public:
    virtual ~Sleeper() = default;
    // Waits `d`, or less when woken early (a signal): callers look at their flags afterwards.
    virtual void sleep_for(util::Clock::duration d) = 0;
};

// The real one: sleeps in short slices and returns early once `*wake` differs from its value at
// the start (the signal counter), so a SIGTERM during a back-off is seen within a slice.
class SignalAwareSleeper final : public Sleeper {
public:
    explicit SignalAwareSleeper(const std::atomic<int>* wake = nullptr) : m_wake(wake) {}
    void sleep_for(util::Clock::duration d) override;

private:
    const std::atomic<int>* m_wake;
};

}  // namespace spotfarm::worker
