#include "cli/estimate/farm_sample.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/frame_set.h"

namespace spotfarm::cli {

namespace {

using nlohmann::json;

struct CompletedAttempt {
    std::int64_t started_ms = 0;
    double outside_render_seconds = 0;  // the attempt's duration less its frames' render time
};

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

protocol::JobSubmission farm_sample_job(const core::JobSettings& settings,
                                        const std::vector<int>& frames,
                                        const std::filesystem::path& output_dir) {
    protocol::JobSubmission job;
    job.name = "estimate " + std::filesystem::path(settings.scene).filename().string();
    job.frames = core::FrameSet::from_frames(frames);
    job.chunk = 1;  // each sample frame timed on its own
    job.settings = settings;
    job.settings.output = (output_dir / "sample_####").string();
    return job;
}

util::Result<FarmSampleTimes> farm_sample_times(
    const std::vector<protocol::TaskDetail>& task_details) {
    FarmSampleTimes out;
    std::map<std::int64_t, std::vector<CompletedAttempt>> by_worker;
    for (const protocol::TaskDetail& task : task_details) {
        for (const protocol::AttemptRecord& attempt : task.attempt_list) {
            if (attempt.outcome != core::AttemptOutcome::completed) continue;
            double rendered = 0;
            for (const protocol::FrameRecord& r : attempt.results) {
                out.seconds[r.frame] = r.render_seconds;
                rendered += r.render_seconds;
            }
            const std::int64_t started = attempt.started_ms;
            const double wall =
                static_cast<double>(attempt.ended_ms.value_or(started) - started) / 1000;
            by_worker[attempt.worker].push_back({started, std::max(0.0, wall - rendered)});
        }
    }
    if (out.seconds.empty()) {
        return util::make_error(
            "the farm reported no render time for the sample frames (no completed attempt "
            "carries results); see `spotfarm job ID` on a job of the same frames",
            util::ErrorKind::failed);
    }
    std::vector<double> cold, warm;
    for (auto& [worker, attempts] : by_worker) {
        std::sort(attempts.begin(), attempts.end(),
                  [](const auto& x, const auto& y) { return x.started_ms < y.started_ms; });
        cold.push_back(attempts.front().outside_render_seconds);
        for (std::size_t i = 1; i < attempts.size(); ++i) {
            warm.push_back(attempts[i].outside_render_seconds);
        }
    }
    const double warm_overhead = warm.empty() ? 0 : median(warm);
    double load = 0;
    for (double c : cold) load += std::max(0.0, c - warm_overhead);
    out.load_seconds = load / static_cast<double>(cold.size());
    out.workers = by_worker.size();
    return out;
}

}  // namespace spotfarm::cli
