#include "util/backoff.h"

#include <algorithm>

namespace spotfarm::util {

Backoff::Backoff(Clock::duration base, Clock::duration cap, std::uint64_t seed)
    : m_base(base), m_cap(std::max(cap, base)), m_random(seed) {}

Clock::duration Backoff::next() {
    // Doubling stops once it passes the cap, so the shift never overflows.
    Clock::duration ceiling = m_base;
    for (int i = 0; i < m_failures && ceiling < m_cap; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, m_cap);
    ++m_failures;
    std::uniform_int_distribution<Clock::duration::rep> draw(0, ceiling.count());
    return Clock::duration(draw(m_random));
}

}  // namespace spotfarm::util
