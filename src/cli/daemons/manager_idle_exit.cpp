#include "cli/daemons/manager_idle_exit.h"

namespace spotfarm::cli {

bool IdleExit::observe(int busy, std::chrono::steady_clock::time_point now) {
    if (busy > 0) {
        m_quiet_since.reset();
        return false;
    }
    if (!m_quiet_since) m_quiet_since = now;
    return now - *m_quiet_since >= m_keep_idle;
}

IdleExitWatch::IdleExitWatch(std::chrono::steady_clock::duration keep_idle,
                             std::chrono::steady_clock::duration every,
                             std::function<int()> count_busy, std::function<void()> on_idle)
    : m_decision(keep_idle),
      m_every(every),
      m_count_busy(std::move(count_busy)),
      m_on_idle(std::move(on_idle)) {
    m_thread = std::thread([this] { run(); });
}

IdleExitWatch::~IdleExitWatch() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void IdleExitWatch::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        const bool idle = m_decision.observe(m_count_busy(), std::chrono::steady_clock::now());
        lock.lock();
        if (idle && !m_stopping) {
            lock.unlock();
            m_on_idle();
            return;
        }
        m_wake.wait_for(lock, m_every, [this] { return m_stopping; });
    }
}

}  // namespace spotfarm::cli
