#pragma once
// Time behind an interface so schedulers, leases and watchdogs are tested without sleeping.

#include <chrono>
#include <mutex>

namespace spotfarm::util {

class Clock {
public:
    using time_point = std::chrono::steady_clock::time_point;
    using duration = std::chrono::steady_clock::duration;
    virtual ~Clock() = default;
    // Monotonic time, for deadlines and durations.
    virtual time_point now() const = 0;
    // Wall-clock time, for records people read (seconds since the Unix epoch).
    virtual std::chrono::system_clock::time_point wall_now() const = 0;
};

// The real clock.
class SteadyClock final : public Clock {
public:
    time_point now() const override { return std::chrono::steady_clock::now(); }
    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::now();
    }
};

// A clock that only moves when told to; thread-safe.
class FakeClock final : public Clock {
public:
    time_point now() const override;
    std::chrono::system_clock::time_point wall_now() const override;
    void advance(duration d);

private:
    mutable std::mutex m_mutex;
    time_point m_now{std::chrono::hours(1)};
    std::chrono::system_clock::time_point m_wall{std::chrono::seconds(1'800'000'000)};
};

// The process-wide real clock, for code that is handed no other.
const Clock& steady_clock();

}  // namespace spotfarm::util
