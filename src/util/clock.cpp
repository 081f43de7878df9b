#include "util/clock.h"

namespace spotfarm::util {

Clock::time_point FakeClock::now() const {
    std::lock_guard lock(m_mutex);
    return m_now;
}

std::chrono::system_clock::time_point FakeClock::wall_now() const {
    std::lock_guard lock(m_mutex);
    return m_wall;
}

void FakeClock::advance(duration d) {
    std::lock_guard lock(m_mutex);
    m_now += d;
    m_wall += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
}

const Clock& steady_clock() {
    static const SteadyClock clock;
    return clock;
}

}  // namespace spotfarm::util
