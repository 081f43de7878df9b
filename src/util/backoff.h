#pragma once
// Exponential back-off with full jitter: the n-th wait after consecutive failures is drawn evenly
// from [0, min(cap, base * 2^n)], so many clients that lost one server do not come back in step.

#include <cstdint>
#include <random>

#include "util/clock.h"

namespace spotfarm::util {

class Backoff {
public:
    // A fixed `seed` makes the waits repeatable (tests); the default draws one.
    Backoff(Clock::duration base, Clock::duration cap, std::uint64_t seed = std::random_device{}());

    // The wait before the next try; each call counts one more failure.
    Clock::duration next();
    // After a success: the next failure waits about `base` again.
    void reset() { m_failures = 0; }
    int failures() const { return m_failures; }

private:
    Clock::duration m_base;
    Clock::duration m_cap;
    int m_failures = 0;
    std::mt19937_64 m_random;
};

}  // namespace spotfarm::util
