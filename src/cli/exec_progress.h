#pragma once
// What `spotfarm exec` shows while it renders: on a terminal, one line redrawn in place (a bar of
// frames done, the current frame's samples, rate and ETA); otherwise one plain line per event.

#include <cstddef>
#include <cstdio>
#include <string>

#include "blender/log_events.h"
#include "blender/render_report.h"
#include "util/clock.h"

namespace spotfarm::cli {

class ExecProgress {
public:
    ExecProgress(std::FILE* out, bool terminal, const util::Clock& clock);

    void plan(const std::string& what, std::size_t to_render);
    void frame_started(int frame);
    void progress(int frame, const blender::ProgressEvent& event);
    void frame_done(const blender::FrameRecord& record);
    void notice(const std::string& text);
    // Clears the bar before the summary is printed.
    void finish();

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
    std::string m_status;  // the current frame's samples or phase
    util::Clock::time_point m_first_start{};
    util::Clock::time_point m_last_draw{};
    bool m_started = false;
    bool m_line_shown = false;
};

}  // namespace spotfarm::cli
