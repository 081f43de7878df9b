#pragma once
// FrameRenderer over the persistent Blender session: one Blender per job, kept between tasks of
// that job (the warm scene a claim asks for), started afresh when a task of another job comes.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "blender/session.h"
#include "util/clock.h"
#include "worker/frame_renderer.h"

namespace spotfarm::worker {

struct BlenderRendererOptions {
    std::filesystem::path blender;  // the executable (found by blender::find_blender)
    int restart_every = 0;          // a fresh Blender after this many frames; 0: never
    double max_memory_mb = 0;       // a fresh Blender once its peak passes this; 0: never
};

class BlenderRenderer final : public FrameRenderer {
public:
    explicit BlenderRenderer(BlenderRendererOptions options,
                             const util::Clock& clock = util::steady_clock());
    ~BlenderRenderer() override;

    // Blender's version and GPU backends with devices: from the probe cache (blender/probe_cache.h)
    // when it knows this Blender on this machine, else from a probe run, which is then cached.
    util::Result<RendererInfo> describe() override;
    std::optional<std::int64_t> warm_job() const override;
    RenderOutcome render(std::int64_t job_id, const RenderJob& job, const std::vector<int>& frames,
                         const RenderCallbacks& callbacks) override;

    // Starts a Blender loading `job`'s scene and returns at once, so that the load overlaps what
    // the worker does before its first task (probing Blender, registering, claiming). The first
    // task of a job with the same settings renders with it; a task of other settings replaces it.
    // A scene that cannot load fails that first task, as it would have without the preload.
    util::Status preload(const core::JobSettings& job);

private:
    struct Run;  // the task being rendered, seen by the session's callbacks
    // The session for `job`, kept if it already renders that job with the same settings, or if
    // it was preloaded with them for a job not known yet.
    blender::Session& session_for(std::int64_t job_id, const RenderJob& job);
    // A new session for `job`'s settings, replacing any other.
    blender::Session& new_session(std::optional<std::int64_t> job_id, const RenderJob& job);

    BlenderRendererOptions m_options;
    const util::Clock& m_clock;
    std::unique_ptr<blender::Session> m_session;
    std::optional<std::int64_t> m_job_id;  // empty for a preloaded session not yet claimed
    std::string m_job_key;                 // the settings m_session was made with
    Run* m_run = nullptr;
};

// The session options a job's settings ask for.
blender::SessionOptions session_options(const BlenderRendererOptions& options,
                                        const core::JobSettings& job);
// The same, with the paths the scene's Blender rewrites after loading it (transfer mode).
blender::SessionOptions session_options(const BlenderRendererOptions& options,
                                        const RenderJob& job);

}  // namespace spotfarm::worker
