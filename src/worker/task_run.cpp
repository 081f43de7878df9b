#include "worker/task_run.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "protocol/transfer.h"
#include "util/backoff.h"
#include "util/seconds.h"
#include "util/utf8.h"
#include "worker/frame_estimate.h"
#include "worker/frame_upload.h"

namespace spotfarm::worker {

namespace {

using namespace std::chrono_literals;
using Duration = util::Clock::duration;

// Blender's output waiting for the next progress call is capped: its end matters most.
constexpr std::size_t k_max_log_chunk = 64 * 1024;

class TaskRun {
public:
    TaskRun(const protocol::Assignment& task, const TaskContext& context)
        : m_task(task),
          m_ctx(context),
          m_lease_seconds(task.lease_seconds),
          m_backoff(1s, 30s, context.seed) {}

    TaskEnd run();

private:
    RenderCommand on_progress(const RenderProgress& progress);
    void on_frame_done(const protocol::FrameReport& frame);
    RenderCommand drain_command(util::Clock::time_point now);
    void heartbeat(util::Clock::time_point now);
    // Heartbeats at once; false when the manager says the task is no longer this worker's.
    bool still_ours();
    Duration heartbeat_interval() const;
    TaskEnd report_of(RenderOutcome outcome);
    // Transfer mode: the job's tree fetched and laid out, and the job as it renders here.
    util::Result<RenderJob> prepare_transfer();
    // Asked while fetching: heartbeats when due; false once the task is not ours or a drain began.
    bool keep_fetching();
    // A drain that leaves no time for anything more: urgent, or its deadline reached.
    bool must_stop();
    void upload(const protocol::FrameReport& frame);
    util::Sleeper& sleeper() { return m_ctx.sleeper ? *m_ctx.sleeper : m_thread_sleeper; }

    const protocol::Assignment& m_task;
    const TaskContext& m_ctx;
    int m_lease_seconds;
    util::Backoff m_backoff;
    util::Clock::time_point m_next_heartbeat{};
    util::Clock::time_point m_frame_start{};
    std::optional<Duration> m_longest_frame;
    RenderProgress m_now;  // the latest progress, its log gathered since the last heartbeat
    RenderCommand m_drain_command = RenderCommand::keep_going;
    bool m_abandoned = false;
    std::optional<util::Error> m_fatal;
    util::ThreadSleeper m_thread_sleeper;
    // Transfer mode only: the folder Blender writes into, and frame -> name of each frame the
    // manager holds.
    std::optional<std::filesystem::path> m_out_dir;
    std::map<int, std::string> m_uploaded;
    std::optional<std::string> m_upload_error;  // a frame that cannot be sent fails the task
};

Duration TaskRun::heartbeat_interval() const {
    // Three heartbeats per lease: one lost call never costs the task.
    Duration third = std::chrono::seconds(std::max(m_lease_seconds, 3)) / 3;
    Duration interval = m_ctx.heartbeat_interval > Duration::zero()
                            ? std::min(m_ctx.heartbeat_interval, third)
                            : third;
    return std::max<Duration>(interval, 1s);
}

TaskEnd TaskRun::run() {
    const auto start = m_ctx.clock.now();
    m_frame_start = start;
    m_next_heartbeat = start + heartbeat_interval();
    m_now.frame = m_task.frames.empty() ? 0 : m_task.frames.first();
    spdlog::info("task {} (job {}): rendering frames {}", m_task.task_id, m_task.job_id,
                 m_task.frames.to_string());

    RenderCallbacks callbacks{
        [this](const RenderProgress& p) { return on_progress(p); },
        [this](const protocol::FrameReport& f) { on_frame_done(f); },
        [this] { return still_ours(); },
    };
    RenderJob job{m_task.job};
    if (m_task.job.tree) {
        auto local = prepare_transfer();
        if (m_fatal) return TaskEnd{TaskEnd::Kind::fatal, std::nullopt, *m_fatal};
        if (m_abandoned) return TaskEnd{TaskEnd::Kind::abandoned, std::nullopt, {}};
        if (!local && local.error().kind == util::ErrorKind::interrupted) {
            spdlog::info("task {}: giving it back before its files were all here", m_task.task_id);
            return TaskEnd{TaskEnd::Kind::report,
                           Report(protocol::ReleaseReport{
                               m_ctx.worker_id, m_task.attempt_id, m_ctx.drain.reason(), {}}),
                           {}};
        }
        if (!local) {
            spdlog::warn("task {}: failed: {}", m_task.task_id, local.error().message);
            return TaskEnd{TaskEnd::Kind::report,
                           Report(protocol::FailReport{m_ctx.worker_id,
                                                       m_task.attempt_id,
                                                       util::valid_utf8(local.error().message),
                                                       {},
                                                       {}}),
                           {}};
        }
        job = std::move(local).value();
    }
    RenderOutcome outcome =
        m_ctx.renderer.render(m_task.job_id, job, m_task.frames.frames(), callbacks);

    if (m_fatal) return TaskEnd{TaskEnd::Kind::fatal, std::nullopt, *m_fatal};
    if (m_abandoned) return TaskEnd{TaskEnd::Kind::abandoned, std::nullopt, {}};
    return report_of(std::move(outcome));
}

RenderCommand TaskRun::on_progress(const RenderProgress& progress) {
    const auto now = m_ctx.clock.now();
    m_now.frame = progress.frame;
    m_now.sample = progress.sample;
    m_now.samples_total = progress.samples_total;
    m_now.log += util::valid_utf8(progress.log);
    if (m_now.log.size() > k_max_log_chunk) {
        // Cut between characters: the log goes into JSON, which must stay UTF-8.
        m_now.log.erase(0, util::utf8_cut_after(m_now.log, m_now.log.size() - k_max_log_chunk));
    }
    if (m_fatal || m_abandoned || m_upload_error) return RenderCommand::stop_now;

    m_ctx.drain.update();
    if (m_ctx.drain.draining()) m_drain_command = drain_command(now);
    if (m_drain_command == RenderCommand::stop_now) return RenderCommand::stop_now;

    if (now >= m_next_heartbeat) heartbeat(now);
    if (m_fatal || m_abandoned) return RenderCommand::stop_now;
    return m_drain_command;
}

bool TaskRun::still_ours() {
    // The manager's word now, not at the next heartbeat: a worker paused past its lease may be
    // about to replace a frame that another worker finished and reported meanwhile.
    heartbeat(m_ctx.clock.now());
    return !m_abandoned && !m_fatal;
}

void TaskRun::on_frame_done(const protocol::FrameReport& frame) {
    const auto now = m_ctx.clock.now();
    const Duration took = now - m_frame_start;
    m_longest_frame = std::max(m_longest_frame.value_or(Duration::zero()), took);
    m_ctx.drain.note_frame_time(took);
    m_frame_start = now;
    m_now.sample = 0;
    m_now.samples_total = 0;
    spdlog::info("task {}: frame {} done in {} s", m_task.task_id, frame.frame,
                 util::whole_seconds(took));
    if (m_out_dir) upload(frame);
}

util::Result<RenderJob> TaskRun::prepare_transfer() {
    if (!m_ctx.trees) {
        return util::make_error(
            "job " + std::to_string(m_task.job_id) +
                " is in transfer mode, which this worker cannot render (it has no blob cache)",
            util::ErrorKind::invalid);
    }
    FetchContext fetch{m_ctx.manager, sleeper(), [this] { return keep_fetching(); }};
    auto prepared = m_ctx.trees->prepare(m_task.job_id, *m_task.job.tree, fetch);
    if (!prepared) return prepared.error();
    m_out_dir = (*prepared)->out_dir;
    return render_job_in(**prepared, m_task.job);
}

bool TaskRun::keep_fetching() {
    const auto now = m_ctx.clock.now();
    if (now >= m_next_heartbeat) heartbeat(now);
    m_ctx.drain.update();
    // Leaving: nothing is rendered yet, so the task goes back at once.
    return !m_abandoned && !m_fatal && !m_ctx.drain.draining();
}

bool TaskRun::must_stop() {
    m_ctx.drain.update();
    if (!m_ctx.drain.draining()) return false;
    if (m_ctx.drain.urgent()) return true;
    const auto deadline = m_ctx.drain.deadline();
    return deadline && m_ctx.clock.now() >= *deadline - m_ctx.report_margin;
}

void TaskRun::upload(const protocol::FrameReport& frame) {
    namespace fs = std::filesystem;
    const std::string name = fs::path(frame.output).lexically_relative(*m_out_dir).generic_string();
    if (auto checked = protocol::check_tree_path(name); !checked) {
        m_upload_error = "frame " + std::to_string(frame.frame) + " was written to " +
                         frame.output + ", outside the job's output folder " + m_out_dir->string() +
                         " (" + checked.error().message + ")";
        return;
    }
    UploadContext context{m_ctx.manager,
                          m_ctx.clock,
                          sleeper(),
                          [this] { return still_ours(); },
                          [this] { return must_stop(); },
                          std::chrono::minutes(10),
                          3,
                          m_ctx.seed};
    const UploadOutcome sent = upload_frame_file(context, m_task.task_id, m_task.attempt_id,
                                                 frame.frame, name, frame.output);
    switch (sent.end) {
        case UploadEnd::kept:
            m_uploaded[frame.frame] = name;
            break;
        case UploadEnd::gone:
            m_abandoned = true;
            break;
        case UploadEnd::stopped:
            m_drain_command = RenderCommand::stop_now;
            break;
        case UploadEnd::failed:
            m_upload_error = sent.error.message;
            break;
    }
}

RenderCommand TaskRun::drain_command(util::Clock::time_point now) {
    const RenderCommand before = m_drain_command;
    RenderCommand command = RenderCommand::stop_now;
    std::string why;
    if (m_ctx.drain.urgent()) {
        why = "asked twice";
    } else if (!m_ctx.drain.deadline()) {
        command = RenderCommand::finish_frame;  // a hint, no deadline: the frame may finish
        why = "no deadline";
    } else {
        const auto finish_by = *m_ctx.drain.deadline() - m_ctx.report_margin;
        auto end = expected_frame_end(m_frame_start, now, m_now.sample, m_now.samples_total,
                                      m_longest_frame);
        if (end && *end <= finish_by) {
            command = RenderCommand::finish_frame;
            why = "it should end in " + std::to_string(util::whole_seconds(*end - now)) +
                  " s, inside the " + std::to_string(util::whole_seconds(finish_by - now)) +
                  " s left";
        } else if (now >= finish_by) {
            why = "no time left";
        } else if (end) {
            why = "it would end in " + std::to_string(util::whole_seconds(*end - now)) +
                  " s, after the " + std::to_string(util::whole_seconds(finish_by - now)) +
                  " s left";
        } else {
            why = "its end cannot be told yet";
        }
    }
    if (command != before) {
        spdlog::warn("task {}: {} frame {} ({})", m_task.task_id,
                     command == RenderCommand::finish_frame ? "finishing" : "stopping", m_now.frame,
                     why);
    }
    return command;
}

void TaskRun::heartbeat(util::Clock::time_point now) {
    protocol::ProgressReport report{m_ctx.worker_id, m_task.attempt_id,   m_now.frame,
                                    m_now.sample,    m_now.samples_total, m_now.log};
    auto answer = m_ctx.manager.progress(m_task.task_id, report);
    if (answer) {
        m_now.log.clear();
        m_backoff.reset();
        if (answer->lease_seconds > 0) m_lease_seconds = answer->lease_seconds;
        m_next_heartbeat = now + heartbeat_interval();
        if (answer->action == protocol::ProgressAction::stop) {
            spdlog::info(
                "task {}: the manager said stop (canceled, paused or given to another "
                "worker); dropping it",
                m_task.task_id);
            m_abandoned = true;
        }
        return;
    }
    const util::Error& error = answer.error();
    if (is_retryable(error)) {
        if (m_backoff.failures() == 0) spdlog::warn("task {}: {}", m_task.task_id, error.message);
        m_next_heartbeat = now + std::min(heartbeat_interval(), m_backoff.next());
    } else if (error.kind == util::ErrorKind::unauthorized) {
        m_fatal = error;
    } else {
        spdlog::warn("task {}: no longer this worker's ({}); dropping it", m_task.task_id,
                     error.message);
        m_abandoned = true;
    }
}

TaskEnd TaskRun::report_of(RenderOutcome outcome) {
    if (m_out_dir) {
        // Transfer mode: a frame counts once the manager holds its bytes, and by its name there.
        std::vector<protocol::FrameReport> kept;
        for (auto& frame : outcome.frames) {
            auto it = m_uploaded.find(frame.frame);
            if (it == m_uploaded.end()) continue;
            frame.output = it->second;
            kept.push_back(std::move(frame));
        }
        outcome.frames = std::move(kept);
        if (m_upload_error) {
            outcome.end = RenderEnd::failed;
            outcome.error = *m_upload_error;
        } else if (outcome.end == RenderEnd::failed && m_ctx.trees) {
            // The scene may have failed to load because a cached file was damaged: check them.
            const auto damaged = m_ctx.trees->verify(m_task.job_id);
            if (!damaged.empty()) {
                outcome.error +=
                    "; the worker's cached copy of " + damaged.front() +
                    (damaged.size() > 1 ? " (and " + std::to_string(damaged.size() - 1) + " more)"
                                        : "") +
                    " was damaged and is removed: the next attempt fetches it again";
            }
        }
    }
    std::set<int> done;
    for (const auto& frame : outcome.frames) done.insert(frame.frame);
    const bool all_done = std::all_of(m_task.frames.frames().begin(), m_task.frames.frames().end(),
                                      [&](int f) { return done.count(f) > 0; });
    const std::int64_t worker = m_ctx.worker_id;
    const std::int64_t attempt = m_task.attempt_id;

    if (outcome.end != RenderEnd::failed && all_done) {
        spdlog::info("task {}: all {} frames done", m_task.task_id, outcome.frames.size());
        return TaskEnd{TaskEnd::Kind::report,
                       Report(protocol::CompleteReport{worker, attempt, std::move(outcome.frames)}),
                       {}};
    }
    // In transfer mode a drain may also stop an upload after Blender finished every frame.
    const bool stopped =
        outcome.end == RenderEnd::stopped || (m_out_dir && outcome.end == RenderEnd::finished);
    if (stopped && m_drain_command != RenderCommand::keep_going) {
        spdlog::info("task {}: giving it back with {} of {} frames done", m_task.task_id,
                     outcome.frames.size(), m_task.frames.size());
        return TaskEnd{TaskEnd::Kind::report,
                       Report(protocol::ReleaseReport{worker, attempt, m_ctx.drain.reason(),
                                                      std::move(outcome.frames)}),
                       {}};
    }
    std::string error = util::valid_utf8(outcome.error);
    if (error.empty()) {
        error = outcome.end == RenderEnd::stopped
                    ? "the render stopped without being asked to"
                    : "the renderer returned without every frame done";
    }
    spdlog::warn("task {}: failed: {}", m_task.task_id, error);
    return TaskEnd{
        TaskEnd::Kind::report,
        Report(protocol::FailReport{worker, attempt, std::move(error),
                                    util::valid_utf8(outcome.log_tail), std::move(outcome.frames)}),
        {}};
}

}  // namespace

TaskEnd run_task(const protocol::Assignment& task, const TaskContext& context) {
    return TaskRun(task, context).run();
}

}  // namespace spotfarm::worker
