#pragma once
// What `spotfarm render` shows while the farm works: on a terminal one line redrawn in place
// (bar, frames done of total, frames in flight per worker, failures, rate, ETA); otherwise a
// plain line each time the count of finished frames changes. The ETA is job_eta (job_eta.h): the
// frames left predicted from the render times of finished frames near them, over the tasks in
// flight; a plain rate stands in until the first frame times have been read.

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/jobs/job_eta.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"

namespace spotfarm::cli {

class RenderProgress {
public:
    // `get` reads the finished tasks' frame times from the manager; without it the ETA is
    // frames left / rate.
    RenderProgress(std::FILE* out, bool terminal, std::size_t total, JobFrameTimes::Get get = {});
    // `job`: GET /jobs/{id}; `active`: GET /jobs/{id}/tasks?status=active.
    void update(const protocol::JobDetail& job, const std::vector<protocol::TaskSummary>& active);
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
    std::optional<JobFrameTimes> m_times;
    std::size_t m_times_done = 0;  // frames_done when the times were last read
    std::chrono::steady_clock::time_point m_times_read{};
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

}  // namespace spotfarm::cli
