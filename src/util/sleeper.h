#pragma once
// Waiting behind an interface: back-off waits go through it, so tests record them or move a fake
// clock instead of sleeping.

#include "util/clock.h"

namespace spotfarm::util {

class Sleeper {
public:
    virtual ~Sleeper() = default;
    // Waits `d`, or less when woken early (a signal): callers look at their flags afterwards.
    virtual void sleep_for(Clock::duration d) = 0;
};

// The plain one: the calling thread sleeps the whole time.
class ThreadSleeper final : public Sleeper {
public:
    void sleep_for(Clock::duration d) override;
};

}  // namespace spotfarm::util
