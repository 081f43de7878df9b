#pragma once
// What `spotfarm render` shows while the farm works: on a terminal one line redrawn in place
// (bar, frames done of total, frames in flight per worker, failures, rate, ETA); otherwise a
// plain line each time the count of finished frames changes.

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace spotfarm::cli {

class RenderProgress {
public:
    RenderProgress(std::FILE* out, bool terminal, std::size_t total);
    // `job`: GET /jobs/{id}; `active`: GET /jobs/{id}/tasks?status=active.
    void update(const nlohmann::json& job, const nlohmann::json& active);
    void finish();

    // The line shown for these figures (pure, for tests).
    static std::string line(std::size_t done, std::size_t total, std::size_t in_flight,
                            std::size_t failed, double rate_per_s, double eta_s,
                            const std::string& in_flight_text);

private:
    std::FILE* m_out;
    bool m_terminal;
    std::size_t m_total;
    std::size_t m_done_at_start = 0;
    std::size_t m_last_done = static_cast<std::size_t>(-1);
    bool m_first = true;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

}  // namespace spotfarm::cli
