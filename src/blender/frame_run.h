#pragma once
// Renders a set of frames on this machine: frames whose valid output is already on disk are
// skipped, the rest are rendered in one persistent Session (or a fresh Blender per chunk), and
// every frame ends up rendered, skipped or failed with a reason. `spotfarm exec` is this plus a
// progress display.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "blender/render_report.h"
#include "blender/session.h"
#include "core/frame_set.h"
#include "util/clock.h"

namespace spotfarm::blender {

struct FrameRunOptions {
    SessionOptions session;
    std::string output_pattern;            // absolute, Blender's '#' pattern, no extension
    std::optional<core::FrameSet> frames;  // none: the scene's own frame range
    bool overwrite = false;                // render frames whose output exists, replacing it
    bool process_per_chunk = false;        // a fresh Blender for each chunk
    std::size_t chunk = 10;                // frames per chunk with process_per_chunk
};

struct FrameRunObserver {
    // Once the scene is loaded: what will happen (frames in all, how many are already done, the
    // frames that will be rendered).
    std::function<void(const SessionInfo&, std::size_t total, std::size_t skipped,
                       const std::vector<int>& to_render)>
        on_plan;
    std::function<void(int frame)> on_frame_start;
    std::function<void(int frame, const ProgressEvent&)> on_progress;
    std::function<void(const FrameRecord&)> on_frame_done;
    std::function<void(const std::string&)> on_notice;
    std::function<bool()> should_stop;
};

struct FrameRunResult {
    std::vector<FrameRecord> frames;  // in frame order
    RunHeader header;
    // 0: every frame on disk and valid; 1: frames failed; 2: bad input (unreadable scene, bad
    // settings); 3: Blender missing; 130: interrupted.
    int exit_code = 0;
    std::string fatal_error;  // set when no frame could be tried (Blender would not start)
};

FrameRunResult run_frames(const FrameRunOptions& options, const FrameRunObserver& observer,
                          const util::Clock& clock = util::steady_clock());

}  // namespace spotfarm::blender
