#include "cli/jobs/job_eta.h"

#include <algorithm>

#include "cli/common/json_access.h"
#include "core/frame_set.h"
#include "estimate/live_eta.h"

namespace spotfarm::cli {

namespace {

using nlohmann::json;

// The frames of a frame-set text, or none when it is not one.
std::vector<int> frames_of(const std::string& spec) {
    if (spec.empty()) return {};
    auto set = core::FrameSet::parse(spec);
    return set ? set->frames() : std::vector<int>{};
}

}  // namespace

estimate::FrameTimes frame_times_in_task(const json& task_detail) {
    estimate::FrameTimes times;
    const json& attempts = field(task_detail, "attempt_list");
    if (!attempts.is_array()) return times;
    for (const json& attempt : attempts) {
        if (text_field(attempt, "outcome") != "completed") continue;
        const json& results = field(attempt, "results");
        if (!results.is_array()) continue;
        estimate::FrameTimes rendered;
        double render_total = 0;
        for (const json& r : results) {
            const json& frame = field(r, "frame");
            const json& seconds = field(r, "render_seconds");
            if (frame.is_number_integer() && seconds.is_number() && seconds.get<double>() >= 0) {
                rendered[frame.get<int>()] = seconds.get<double>();
                render_total += seconds.get<double>();
            }
        }
        // What a frame costs the farm is more than Blender's render call: loading, saving,
        // checking and reporting. The attempt's own duration is shared out by render time.
        const double wall =
            static_cast<double>(int_field(attempt, "ended_ms") - int_field(attempt, "started_ms")) /
            1000;
        const double scale = render_total > 0 && wall > render_total ? wall / render_total : 1;
        for (const auto& [frame, seconds] : rendered) times[frame] = seconds * scale;
    }
    return times;
}

std::optional<JobEta> job_eta(const json& job, const estimate::FrameTimes& done, const json& active) {
    if (done.empty()) return std::nullopt;
    const json& by_status = field(job, "frames_by_status");
    if (!by_status.is_object()) return std::nullopt;
    std::vector<int> left;
    for (const auto& [status, spec] : by_status.items()) {
        if (status == "completed" || status == "failed" || status == "canceled") continue;
        if (!spec.is_string()) continue;
        const std::vector<int> frames = frames_of(spec.get<std::string>());
        left.insert(left.end(), frames.begin(), frames.end());
    }
    const core::FrameSet left_set = core::FrameSet::from_frames(std::move(left));

    JobEta eta;
    eta.frames_left = left_set.size();
    std::vector<estimate::RunningFrame> running;
    if (active.is_array()) {
        for (const json& task : active) {
            ++eta.workers;
            const json& progress = field(task, "progress");
            const json& frame = field(progress, "frame");
            if (!frame.is_number_integer()) continue;
            const double fraction = std::clamp(progress.value("fraction", 0.0), 0.0, 1.0);
            const core::FrameSet one = core::FrameSet::from_frames({frame.get<int>()});
            const double predicted = estimate::predict_frame_seconds(done, one).front();
            running.push_back({frame.get<int>(), fraction * predicted});
        }
    }
    eta.workers = std::max<std::size_t>(eta.workers, 1);
    auto seconds = estimate::live_eta_seconds(done, left_set, eta.workers, running);
    if (!seconds) return std::nullopt;
    eta.seconds = *seconds;
    return eta;
}

util::Status JobFrameTimes::refresh(std::int64_t job) {
    auto tasks = m_get("/jobs/" + std::to_string(job) + "/tasks?status=completed");
    if (!tasks) return tasks.error();
    const json& list = list_in(*tasks, "tasks");
    if (!list.is_array()) return util::make_error("the list of tasks is not a JSON list");
    for (const json& task : list) {
        const json& id = field(task, "id");
        if (!id.is_number_integer() || text_field(task, "status") != "completed") continue;
        if (m_seen.count(id.get<std::int64_t>())) continue;
        auto detail = m_get("/tasks/" + std::to_string(id.get<std::int64_t>()));
        if (!detail) return detail.error();
        for (const auto& [frame, seconds] : frame_times_in_task(*detail)) m_times[frame] = seconds;
        m_seen.insert(id.get<std::int64_t>());
    }
    return {};
}

}  // namespace spotfarm::cli
