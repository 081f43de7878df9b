#pragma once
// What `spotfarm exec` shows while it renders: on a terminal, one line redrawn in place (a bar of
// frames done, the current frame's samples, rate and ETA); otherwise one plain line per event.
// The ETA is estimate::live_eta_seconds: each frame left predicted from the frames done near it
// (their wall time, saving and checks included), not a plain average.

#include <cstddef>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "blender/log_events.h"
#include "blender/render_report.h"
#include "estimate/estimate.h"
#include "util/clock.h"

namespace spotfarm::cli {

class ExecProgress {
public:
    ExecProgress(std::FILE* out, bool terminal, const util::Clock& clock);

    // `to_render`: the frames that will be rendered, in any order.
    void plan(const std::string& what, const std::vector<int>& to_render);
    void frame_started(int frame);
    void progress(int frame, const blender::ProgressEvent& event);
    void frame_done(const blender::FrameRecord& record);
    void notice(const std::string& text);
    // Clears the bar before the summary is printed.
    void finish();
    // Seconds until the frames left are done, from the frames done so far; nullopt before the
    // first frame is done.
    std::optional<double> eta_seconds() const;

private:
    void redraw(bool force);
    void clear_line();
    std::string rate_and_eta() const;

    std::FILE* m_out;
    bool m_terminal;
    const util::Clock& m_clock;
    std::size_t m_total = 0;
    std::size_t m_done = 0;
    std::size_t m_failed = 0;
    int m_frame = -1;
    std::string m_status;          // the current frame's samples or phase
    std::set<int> m_left;          // frames not done yet, the current one included
    estimate::FrameTimes m_times;  // wall seconds of the frames rendered so far
    util::Clock::time_point m_frame_start{};
    util::Clock::time_point m_first_start{};
    util::Clock::time_point m_last_draw{};
    bool m_started = false;
    bool m_line_shown = false;
};

}  // namespace spotfarm::cli
