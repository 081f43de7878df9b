#include "worker/sleeper.h"

#include <algorithm>
#include <thread>

namespace spotfarm::worker {

void SignalAwareSleeper::sleep_for(util::Clock::duration d) {
    constexpr auto k_slice = std::chrono::milliseconds(100);
    const int start = m_wake ? m_wake->load() : 0;
    const auto until = std::chrono::steady_clock::now() + d;
    while (true) {
        auto now = std::chrono::steady_clock::now();
        if (now >= until || (m_wake && m_wake->load() != start)) return;
        std::this_thread::sleep_for(std::min<util::Clock::duration>(until - now, k_slice));
    }
}

}  // namespace spotfarm::worker
