#include "cli/render/render_progress.h"

#include <cmath>

#include <fmt/format.h>

#include "blender/render_report.h"
#include "estimate/live_eta.h"
#include "util/duration_text.h"

namespace spotfarm::cli {

namespace {

// The ETA as exec prints it ("1 min 12 s"); "?" when there is none to give.
std::string eta_text(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    return util::format_seconds(seconds);
}

}  // namespace

RenderProgress::RenderProgress(std::FILE* out, bool terminal, std::size_t total,
                               JobFrameTimes::Get get)
    : m_out(out), m_terminal(terminal), m_total(total) {
    if (get) m_times.emplace(std::move(get));
}

std::string RenderProgress::line(std::size_t done, std::size_t total, std::size_t in_flight,
                                 std::size_t failed, double rate_per_s, double eta_s,
                                 const std::string& in_flight_text) {
    constexpr int k_width = 24;
    const int filled = total == 0 ? k_width : static_cast<int>(k_width * done / total);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(k_width, '.');
    std::string text = fmt::format("[{}] {}/{} frames, {} rendering", bar, done, total, in_flight);
    if (!in_flight_text.empty()) text += " (" + in_flight_text + ")";
    if (failed > 0) text += fmt::format(", {} failed", failed);
    if (rate_per_s > 0) {
        text += fmt::format(", {:.2f} frames/s, ETA {}", rate_per_s, eta_text(eta_s));
    }
    return text;
}

void RenderProgress::update(const protocol::JobDetail& job,
                            const std::vector<protocol::TaskSummary>& active) {
    const auto done = static_cast<std::size_t>(std::max<std::int64_t>(0, job.frames_done));
    const auto failed_tasks = job.summary.tasks.find(core::TaskStatus::failed);
    const std::size_t failed = failed_tasks == job.summary.tasks.end()
                                   ? 0
                                   : static_cast<std::size_t>(failed_tasks->second);
    if (m_first) {
        m_done_at_start = done;  // frames of an earlier run do not count toward the rate
        m_first = false;
    }
    std::string in_flight_text;
    const std::size_t in_flight = active.size();
    for (const auto& task : active) {
        if (!in_flight_text.empty()) in_flight_text += ", ";
        in_flight_text += fmt::format("w{}:{}", task.worker ? std::to_string(*task.worker) : "?",
                                      task.frames.to_string());
        if (task.progress && task.progress->fraction > 0) {
            in_flight_text += fmt::format(" {:.0f}%", task.progress->fraction * 100);
        }
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const double rate = elapsed > 0 && done > m_done_at_start
                            ? static_cast<double>(done - m_done_at_start) / elapsed
                            : 0.0;
    double eta = rate > 0 ? static_cast<double>(m_total - std::min(done, m_total)) / rate : -1;
    if (m_times) {
        // Newly finished tasks are read at most once a second.
        const auto now = std::chrono::steady_clock::now();
        if (done != m_times_done && now - m_times_read >= std::chrono::seconds(1)) {
            if (m_times->refresh(job.summary.id)) m_times_done = done;
            m_times_read = now;
        }
        if (auto live = job_eta(job, m_times->times(), active)) {
            eta = live->seconds;
            // Once a few frames are done the pace is known: the ETA follows it, so that it
            // agrees with the rate shown beside it (frames that cost more ahead lengthen it).
            const auto& times = m_times->times();
            double mean = 0;
            for (const auto& [frame, seconds] : times) mean += seconds / double(times.size());
            const std::size_t since_start = done - std::min(done, m_done_at_start);
            if (auto paced = estimate::paced_eta_seconds(
                    elapsed, since_start, mean * double(since_start), live->work_left_seconds)) {
                eta = *paced;
            }
        }
    }
    const auto text = line(done, m_total, in_flight, failed, rate, eta, in_flight_text);
    if (m_terminal) {
        fmt::print(m_out, "\r\033[K{}", text);
        std::fflush(m_out);
        m_shown = true;
    } else if (done != m_last_done) {
        fmt::print(m_out, "{}\n", text);
        std::fflush(m_out);
    }
    m_last_done = done;
}

void RenderProgress::finish() {
    if (m_terminal && m_shown) {
        fmt::print(m_out, "\n");
        std::fflush(m_out);
    }
    m_shown = false;
}

}  // namespace spotfarm::cli
