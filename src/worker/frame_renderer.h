#pragma once
// How the worker renders a task's frames, so the loop is tested without Blender. The real one
// drives a persistent Blender session per job; tests use a scripted fake.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::worker {

// A renderer calls on_progress at least this often while it renders, news or not: the loop's
// heartbeats, drain checks and stop answers all happen inside that call.
inline constexpr std::chrono::seconds k_progress_tick{1};

struct RenderProgress {
    int frame = 0;          // the frame being rendered
    int sample = 0;         // 0 when unknown
    int samples_total = 0;  // 0 when unknown
    std::string log;        // Blender's output since the previous call
};

// The loop's answer to each progress call: the renderer's stop flag.
enum class RenderCommand {
    keep_going,
    finish_frame,  // finish the frame in progress, start no other, then return `stopped`
    stop_now,      // abandon the frame in progress at once and return `stopped`
};

struct RenderCallbacks {
    std::function<RenderCommand(const RenderProgress&)> on_progress;
    // Each frame once it is on disk and valid, before the next one starts.
    std::function<void(const protocol::FrameReport&)> on_frame_done;
    // Asked before a frame replaces a file already at its path: false when the task is no
    // longer this worker's (another attempt finished the frame), and the file there stays.
    // Unset: replace.
    std::function<bool()> may_replace;
};

enum class RenderEnd {
    finished,  // every frame is done
    stopped,   // the loop said finish_frame or stop_now
    failed,    // a frame failed; `error` says why
};

struct RenderOutcome {
    RenderEnd end = RenderEnd::finished;
    std::vector<protocol::FrameReport> frames;  // the frames done, in order
    std::string error;
    std::string log_tail;  // the end of Blender's output, for a failure report
};

struct RendererInfo {
    std::string blender_version;
    std::vector<std::string> gpu_backends;  // "CUDA", "OPTIX", ...; empty: CPU only
};

// What to render: the job's settings as this worker sees them (in transfer mode, the scene and
// output rewritten into the job's folder here) and the scene's paths to rewrite after it loads.
struct RenderJob {
    // A shared-mode job renders its settings as they are: no conversion needed at call sites.
    RenderJob(core::JobSettings settings_ = {}, std::map<std::string, std::string> remap = {})
        : settings(std::move(settings_)), path_remap(std::move(remap)) {}

    core::JobSettings settings;
    std::map<std::string, std::string> path_remap;  // blender::SessionOptions::path_remap
};

class FrameRenderer {
public:
    virtual ~FrameRenderer() = default;

    // What a worker registers with: the Blender version and the GPU backends it can use.
    virtual util::Result<RendererInfo> describe() = 0;
    // The job whose scene is loaded and ready, if any: the claim asks for more of it.
    virtual std::optional<std::int64_t> warm_job() const = 0;
    // Renders `frames` in order. Blocks until they are done, one fails, or the loop says stop.
    virtual RenderOutcome render(std::int64_t job_id, const RenderJob& job,
                                 const std::vector<int>& frames,
                                 const RenderCallbacks& callbacks) = 0;
};

}  // namespace spotfarm::worker
