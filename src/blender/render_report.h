#pragma once
// The record of a run of frames (spotfarm exec, a worker's task): what happened to each frame,
// the figures people want at the end (render time per frame min/median/max), as a table or JSON.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace spotfarm::blender {

enum class FrameOutcome { rendered, skipped, failed };
const char* to_string(FrameOutcome outcome);

struct FrameRecord {
    int frame = 0;
    FrameOutcome outcome = FrameOutcome::failed;
    std::filesystem::path output;
    double render_seconds = 0;  // inside Blender's render call (rendered frames)
    double wall_seconds = 0;    // from request to file in place
    std::string error;          // failed frames: why
};

struct RunStats {
    size_t rendered = 0;
    size_t skipped = 0;
    size_t failed = 0;
    // Over rendered frames; all 0 when none was rendered.
    double min_render_seconds = 0;
    double median_render_seconds = 0;
    double max_render_seconds = 0;
    double total_render_seconds = 0;
};

RunStats compute_stats(const std::vector<FrameRecord>& frames);

// What the run was, for the header of the report.
struct RunHeader {
    std::string scene_file;
    std::string blender_version;
    std::string engine;
    std::string device;
    std::string output_pattern;
    double wall_seconds = 0;
    int processes = 0;  // Blender processes started
    bool interrupted = false;
};

// The summary table people read at the end.
std::string format_report(const RunHeader& header, const std::vector<FrameRecord>& frames);

// The same for scripts.
nlohmann::json report_json(const RunHeader& header, const std::vector<FrameRecord>& frames,
                           int exit_code);

}  // namespace spotfarm::blender
