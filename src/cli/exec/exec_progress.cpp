#include "cli/exec/exec_progress.h"

#include <fmt/format.h>

#include "estimate/live_eta.h"
#include "util/duration_text.h"

namespace spotfarm::cli {

namespace {
constexpr int k_bar_width = 24;
constexpr auto k_redraw_every = std::chrono::milliseconds(100);
}  // namespace

ExecProgress::ExecProgress(std::FILE* out, bool terminal, const util::Clock& clock)
    : m_out(out), m_terminal(terminal), m_clock(clock) {}

void ExecProgress::plan(const std::string& what, const std::vector<int>& to_render) {
    m_left = std::set<int>(to_render.begin(), to_render.end());
    m_total = m_left.size();
    clear_line();
    fmt::print(m_out, "{}\n", what);
    std::fflush(m_out);
}

void ExecProgress::frame_started(int frame) {
    if (!m_started) {
        m_started = true;
        m_first_start = m_clock.now();
    }
    m_frame = frame;
    m_frame_start = m_clock.now();
    m_status = "preparing";
    redraw(true);
}

void ExecProgress::progress(int frame, const blender::ProgressEvent& event) {
    if (frame != m_frame) return;
    if (event.sample >= 0 && event.samples_total > 0) {
        m_status = fmt::format("sample {}/{}", event.sample, event.samples_total);
    } else if (!event.status.empty()) {
        m_status = event.status.substr(0, 40);
    }
    redraw(false);
}

void ExecProgress::frame_done(const blender::FrameRecord& r) {
    ++m_done;
    if (r.outcome == blender::FrameOutcome::failed) ++m_failed;
    if (r.outcome == blender::FrameOutcome::rendered) m_times[r.frame] = r.wall_seconds;
    m_left.erase(r.frame);
    if (!m_terminal || r.outcome == blender::FrameOutcome::failed) {
        clear_line();
        if (r.outcome == blender::FrameOutcome::failed) {
            fmt::print(m_out, "frame {} FAILED: {}\n", r.frame, r.error);
        } else {
            fmt::print(m_out, "frame {} rendered in {} ({}/{}{})\n", r.frame,
                       util::format_seconds(r.render_seconds), m_done, m_total, rate_and_eta());
        }
        std::fflush(m_out);
    }
    m_status.clear();
    m_frame = -1;
    redraw(true);
}

void ExecProgress::notice(const std::string& text) {
    clear_line();
    fmt::print(m_out, "note: {}\n", text);
    std::fflush(m_out);
    redraw(true);
}

void ExecProgress::finish() {
    clear_line();
}

std::optional<double> ExecProgress::eta_seconds() const {
    std::vector<estimate::RunningFrame> running;
    if (m_frame >= 0 && m_left.count(m_frame)) {
        const double elapsed = std::chrono::duration<double>(m_clock.now() - m_frame_start).count();
        running.push_back({m_frame, elapsed});
    }
    const auto left = core::FrameSet::from_frames({m_left.begin(), m_left.end()});
    return estimate::live_eta_seconds(m_times, left, 1, running);
}

std::string ExecProgress::rate_and_eta() const {
    if (m_done == 0 || !m_started) return "";
    double elapsed = std::chrono::duration<double>(m_clock.now() - m_first_start).count();
    if (elapsed <= 0) return "";
    double per_frame = elapsed / static_cast<double>(m_done);
    std::string out = per_frame >= 60 ? fmt::format(", {:.1f} min/frame", per_frame / 60)
                                      : fmt::format(", {:.1f} frames/min", 60 / per_frame);
    if (auto eta = eta_seconds(); eta && !m_left.empty()) {
        out += ", ETA " + util::format_seconds(*eta);
    }
    return out;
}

void ExecProgress::clear_line() {
    if (m_terminal && m_line_shown) {
        std::fputs("\r\033[K", m_out);
        m_line_shown = false;
    }
}

void ExecProgress::redraw(bool force) {
    if (!m_terminal || m_total == 0) return;
    auto now = m_clock.now();
    if (!force && now - m_last_draw < k_redraw_every) return;
    m_last_draw = now;
    int filled = static_cast<int>(k_bar_width * m_done / m_total);
    std::string bar = std::string(filled, '#') + std::string(k_bar_width - filled, '-');
    std::string line = fmt::format("[{}] {}/{} frames", bar, m_done, m_total);
    if (m_failed) line += fmt::format(" ({} failed)", m_failed);
    if (m_done < m_total && m_frame >= 0) {
        line += fmt::format(" | frame {}", m_frame);
        if (!m_status.empty()) line += ": " + m_status;
    }
    line += rate_and_eta();
    std::fputs("\r\033[K", m_out);
    std::fputs(line.c_str(), m_out);
    std::fflush(m_out);
    m_line_shown = true;
}

}  // namespace spotfarm::cli
