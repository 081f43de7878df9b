#pragma once
// A Sleeper that returns at once and remembers what it was asked to wait.

#include <mutex>
#include <vector>

#include "util/sleeper.h"

namespace spotfarm::testing {

class RecordingSleeper final : public util::Sleeper {
public:
    void sleep_for(util::Clock::duration d) override {
        std::lock_guard lock(m_mutex);
        m_sleeps.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(d));
    }
    std::vector<std::chrono::milliseconds> sleeps() const {
        std::lock_guard lock(m_mutex);
        return m_sleeps;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::chrono::milliseconds> m_sleeps;
};

}  // namespace spotfarm::testing
