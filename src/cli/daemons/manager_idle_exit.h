#pragma once
// A manager in the cloud bills by the hour, so it ends itself once it has had nothing to do for
// a while (`spotfarm manager --exit-when-idle HOURS`): no job queued, running or paused. Its
// state stays in its folder (on EFS), so a manager started again later finds every job and
// frame; the laptop that followed a render to its end stops the instance at once instead
// (render --cloud), and this is the bound for a laptop that went away.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace spotfarm::cli {

// The decision, on a clock the caller gives.
class IdleExit {
public:
    explicit IdleExit(std::chrono::steady_clock::duration keep_idle) : m_keep_idle(keep_idle) {}

    // `busy`: the jobs queued, running or paused now. True once none has been for keep_idle
    // (every observation in between saw none).
    bool observe(int busy, std::chrono::steady_clock::time_point now);

private:
    std::chrono::steady_clock::duration m_keep_idle;
    std::optional<std::chrono::steady_clock::time_point> m_quiet_since;
};

// Asks `count_busy` every `every` on a thread of its own and calls `on_idle` once when the
// IdleExit says so. Stops (and joins) when destroyed.
class IdleExitWatch {
public:
    IdleExitWatch(std::chrono::steady_clock::duration keep_idle,
                  std::chrono::steady_clock::duration every, std::function<int()> count_busy,
                  std::function<void()> on_idle);
    ~IdleExitWatch();
    IdleExitWatch(const IdleExitWatch&) = delete;
    IdleExitWatch& operator=(const IdleExitWatch&) = delete;

private:
    void run();

    IdleExit m_decision;
    std::chrono::steady_clock::duration m_every;
    std::function<int()> m_count_busy;
    std::function<void()> m_on_idle;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace spotfarm::cli
