#include "cli/jobs/job_eta.h"

#include <algorithm>

#include "core/frame_set.h"
#include "estimate/live_eta.h"

namespace spotfarm::cli {

using nlohmann::json;

estimate::FrameTimes frame_times_in_task(const protocol::TaskDetail& task) {
    estimate::FrameTimes times;
    for (const protocol::AttemptRecord& attempt : task.attempt_list) {
        if (attempt.outcome != core::AttemptOutcome::completed) continue;
        estimate::FrameTimes rendered;
        double render_total = 0;
        for (const protocol::FrameRecord& r : attempt.results) {
            rendered[r.frame] = r.render_seconds;
            render_total += r.render_seconds;
        }
        // What a frame costs the farm is more than Blender's render call: loading, saving,
        // checking and reporting. The attempt's own duration is shared out by render time.
        const double wall = static_cast<double>(attempt.ended_ms.value_or(attempt.started_ms) -
                                                attempt.started_ms) /
                            1000;
        const double scale = render_total > 0 && wall > render_total ? wall / render_total : 1;
        for (const auto& [frame, seconds] : rendered) times[frame] = seconds * scale;
    }
    return times;
}

std::optional<JobEta> job_eta(const protocol::JobDetail& job, const estimate::FrameTimes& done,
                              const std::vector<protocol::TaskSummary>& active) {
    if (done.empty()) return std::nullopt;
    std::vector<int> left;
    for (const auto& [status, frames] : job.frames_by_status) {
        if (core::is_finished(status)) continue;
        left.insert(left.end(), frames.frames().begin(), frames.frames().end());
    }
    const core::FrameSet left_set = core::FrameSet::from_frames(std::move(left));

    JobEta eta;
    eta.frames_left = left_set.size();
    std::vector<estimate::RunningFrame> running;
    for (const protocol::TaskSummary& task : active) {
        ++eta.workers;
        if (!task.progress || !task.progress->frame) continue;
        const int frame = *task.progress->frame;
        const double fraction = std::clamp(task.progress->fraction, 0.0, 1.0);
        const core::FrameSet one = core::FrameSet::from_frames({frame});
        const double predicted = estimate::predict_frame_seconds(done, one).front();
        running.push_back({frame, fraction * predicted});
        eta.work_left_seconds -= fraction * predicted;
    }
    for (double seconds : estimate::predict_frame_seconds(done, left_set))
        eta.work_left_seconds += seconds;
    eta.work_left_seconds = std::max(0.0, eta.work_left_seconds);
    eta.workers = std::max<std::size_t>(eta.workers, 1);
    auto seconds = estimate::live_eta_seconds(done, left_set, eta.workers, running);
    if (!seconds) return std::nullopt;
    eta.seconds = *seconds;
    return eta;
}

util::Status JobFrameTimes::refresh(std::int64_t job) {
    auto answer = m_get("/jobs/" + std::to_string(job) + "/tasks?status=completed");
    if (!answer) return answer.error();
    auto tasks = protocol::from_json<protocol::TaskList>(*answer);
    if (!tasks) return tasks.error();
    for (const protocol::TaskSummary& task : tasks->tasks) {
        if (task.status != core::TaskStatus::completed || m_seen.count(task.id)) continue;
        auto detail = m_get("/tasks/" + std::to_string(task.id));
        if (!detail) return detail.error();
        auto read = protocol::from_json<protocol::TaskDetail>(*detail);
        if (!read) return read.error();
        for (const auto& [frame, seconds] : frame_times_in_task(*read)) m_times[frame] = seconds;
        m_seen.insert(task.id);
    }
    return {};
}

}  // namespace spotfarm::cli
