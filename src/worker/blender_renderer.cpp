#include "worker/blender_renderer.h"

#include <nlohmann/json.hpp>

#include "blender/blender_install.h"
#include "blender/output_pattern.h"
#include "blender/probe_cache.h"

namespace spotfarm::worker {

namespace fs = std::filesystem;

namespace {

std::chrono::milliseconds to_ms(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

// Blender's last lines, for a failure report.
constexpr std::size_t k_log_tail_lines = 40;

}  // namespace

// What the session's callbacks report into while a task renders.
struct BlenderRenderer::Run {
    const RenderCallbacks& callbacks;
    int frame = 0;
    int sample = 0;
    int samples_total = 0;
    std::string log;                // since the last progress call
    std::vector<std::string> tail;  // the last lines, for a failure
    util::Clock::time_point last_call{};
    bool news = false;
    RenderCommand command = RenderCommand::keep_going;
};

blender::SessionOptions session_options(const BlenderRendererOptions& options,
                                        const core::JobSettings& job) {
    blender::SessionOptions o;
    o.launch.blender = options.blender;
    o.launch.scene_file = job.scene;
    o.launch.allow_scripts = job.allow_scripts.value_or(false);
    o.render.scene = job.scene_name.value_or("");
    o.render.engine = job.engine.value_or("");
    o.render.format = job.format.value_or("");
    o.render.samples = job.samples.value_or(0);
    o.render.width = job.resolution_x.value_or(0);
    o.render.height = job.resolution_y.value_or(0);
    o.render.percentage = job.percentage.value_or(0);
    o.render.threads = job.threads.value_or(0);
    o.render.device = job.device.value_or("auto");
    if (job.stall_timeout_s) o.limits.no_progress = to_ms(*job.stall_timeout_s);
    if (job.frame_timeout_s) o.limits.frame_limit = to_ms(*job.frame_timeout_s);
    o.restart_every = options.restart_every;
    o.max_memory_mb = options.max_memory_mb;
    o.strict = job.strict.value_or(false);
    return o;
}

blender::SessionOptions session_options(const BlenderRendererOptions& options,
                                        const RenderJob& job) {
    blender::SessionOptions o = session_options(options, job.settings);
    o.path_remap = job.path_remap;
    return o;
}

namespace {

// What a session was made for: settings and remap. Another key needs another Blender.
std::string session_key(const RenderJob& job) {
    nlohmann::json key = protocol::to_json(job.settings);
    key["path_remap"] = job.path_remap;
    return key.dump();
}

}  // namespace

BlenderRenderer::BlenderRenderer(BlenderRendererOptions options, const util::Clock& clock)
    : m_options(std::move(options)), m_clock(clock) {}

BlenderRenderer::~BlenderRenderer() = default;

util::Result<RendererInfo> BlenderRenderer::describe() {
    auto probe =
        blender::probe_blender_cached(m_options.blender, blender::default_probe_cache_dir());
    if (!probe) return probe.error();
    RendererInfo info{probe->version, {}};
    for (const auto& backend : probe->gpu_backends) {
        if (!backend.devices.empty()) info.gpu_backends.push_back(backend.type);
    }
    return info;
}

std::optional<std::int64_t> BlenderRenderer::warm_job() const {
    if (!m_session || !m_session->running()) return std::nullopt;
    return m_job_id;
}

blender::Session& BlenderRenderer::session_for(std::int64_t job_id, const RenderJob& job) {
    // Output and timeouts aside, the settings are fixed for a job; a change starts a new Blender.
    if (m_session && m_job_key == session_key(job) && (m_job_id == job_id || !m_job_id)) {
        m_job_id = job_id;
        return *m_session;
    }
    return new_session(job_id, job);
}

util::Status BlenderRenderer::preload(const core::JobSettings& job) {
    return new_session(std::nullopt, RenderJob{job, {}}).launch();
}

blender::Session& BlenderRenderer::new_session(std::optional<std::int64_t> job_id,
                                               const RenderJob& job) {
    m_session.reset();
    blender::SessionCallbacks callbacks;
    callbacks.on_progress = [this](int frame, const blender::ProgressEvent& e) {
        if (!m_run) return;
        if (frame >= 0) m_run->frame = frame;
        if (e.sample >= 0) m_run->sample = e.sample;
        if (e.samples_total >= 0) m_run->samples_total = e.samples_total;
        m_run->news = true;
    };
    callbacks.on_log_line = [this](const std::string& line) {
        if (!m_run) return;
        m_run->log += line + "\n";
        m_run->tail.push_back(line);
        if (m_run->tail.size() > k_log_tail_lines) m_run->tail.erase(m_run->tail.begin());
    };
    // Asked every 100 ms while Blender loads or renders: the tick of the progress contract.
    callbacks.should_stop = [this] {
        if (!m_run) return false;
        const auto now = m_clock.now();
        if (m_run->news || now - m_run->last_call >= k_progress_tick) {
            RenderProgress progress{m_run->frame, m_run->sample, m_run->samples_total,
                                    std::move(m_run->log)};
            m_run->log.clear();
            m_run->news = false;
            m_run->last_call = now;
            RenderCommand command = m_run->callbacks.on_progress(progress);
            if (command != RenderCommand::keep_going) m_run->command = command;
        }
        return m_run->command == RenderCommand::stop_now;
    };
    m_session = std::make_unique<blender::Session>(session_options(m_options, job),
                                                   std::move(callbacks), m_clock);
    m_job_id = job_id;
    m_job_key = session_key(job);
    return *m_session;
}

RenderOutcome BlenderRenderer::render(std::int64_t job_id, const RenderJob& render_job,
                                      const std::vector<int>& frames,
                                      const RenderCallbacks& callbacks) {
    RenderOutcome outcome;
    auto fail = [&](std::string error, std::vector<std::string> tail) {
        outcome.end = RenderEnd::failed;
        outcome.error = std::move(error);
        outcome.log_tail = join_lines(tail);
        return outcome;
    };
    const core::JobSettings& job = render_job.settings;
    if (!job.output) return fail("the job names no output path", {});
    auto pattern = blender::normalize_output_pattern(*job.output);
    if (!pattern) return fail(pattern.error().message, {});

    blender::Session& session = session_for(job_id, render_job);
    Run run{callbacks};
    run.frame = frames.empty() ? 0 : frames.front();
    run.last_call = m_clock.now();
    m_run = &run;
    struct Detach {
        Run*& run;
        ~Detach() { run = nullptr; }
    } detach{m_run};

    auto info = session.start();
    if (!info) {
        if (info.error().kind == util::ErrorKind::interrupted) {
            outcome.end = RenderEnd::stopped;
            return outcome;
        }
        m_session.reset();  // a scene that cannot load is not warm
        return fail(info.error().message, run.tail);
    }
    for (int frame : frames) {
        run.frame = frame;
        run.sample = 0;
        run.samples_total = 0;
        const std::string path = blender::frame_path(*pattern, frame, info->extension);
        std::error_code ec;
        fs::create_directories(fs::path(path).parent_path(), ec);
        if (ec) {
            return fail("cannot create the output folder " + fs::path(path).parent_path().string() +
                            ": " + ec.message(),
                        {});
        }
        // A file already there is from an attempt whose report was lost or late: the same
        // frame. It is replaced, unless the manager says another attempt finished it.
        blender::FrameResult result = session.render(frame, path, true, callbacks.may_replace);
        if (result.interrupted) {
            outcome.end = RenderEnd::stopped;
            return outcome;
        }
        if (!result.ok) {
            return fail(result.error, result.log_tail.empty() ? run.tail : result.log_tail);
        }
        protocol::FrameReport done{frame, result.output.string(), result.render_seconds,
                                   result.peak_memory_mb, result.warnings};
        outcome.frames.push_back(done);
        callbacks.on_frame_done(done);
        if (run.command == RenderCommand::finish_frame) {
            outcome.end = RenderEnd::stopped;
            return outcome;
        }
    }
    outcome.end = RenderEnd::finished;
    return outcome;
}

}  // namespace spotfarm::worker
