#include "cli/estimate/estimate_farm.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "cli/client/wire_answer.h"
#include "cli/common/commands.h"
#include "cli/estimate/farm_sample.h"
#include "cli/render/render_progress.h"
#include "protocol/job_submission.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"
#include "protocol/worker_summary.h"
#include "util/folder_check.h"
#include "util/stop_signals.h"
#include "util/temp_dir.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// The folder the workers write the samples to. Under --sample-output it takes that folder's
// permissions, so workers running as another user of a shared folder can write to it too.
util::Result<util::TempDir> sample_folder(const EstimateArgs& a) {
    if (a.sample_output.empty()) return util::TempDir::create("spotfarm-estimate-");
    std::error_code ec;
    const fs::path parent = fs::absolute(a.sample_output, ec);
    if (auto ok = util::ensure_writable_folder(parent, "--sample-output folder"); !ok) {
        return util::make_error(ok.error().message, util::ErrorKind::invalid);
    }
    auto folder = util::TempDir::create_in(parent, "spotfarm-estimate-");
    if (!folder) return folder.error();
    fs::permissions(folder->path(), fs::status(parent, ec).permissions(), ec);
    return folder;
}

// Deletes the sample job when the sampling ends, however it ends.
class JobRemover {
public:
    JobRemover(ApiClient& api, std::int64_t job) : m_api(api), m_job(job) {}
    JobRemover(const JobRemover&) = delete;
    JobRemover& operator=(const JobRemover&) = delete;
    ~JobRemover() {
        const std::string path = "/jobs/" + std::to_string(m_job);
        if (!m_finished) (void)m_api.post(path + "/cancel");  // workers stop at their next report
        if (auto gone = m_api.remove(path); !gone) {
            std::cerr << fmt::format(
                "spotfarm estimate: the sample job {} could not be deleted "
                "({}); delete it with `spotfarm delete {}`\n",
                m_job, gone.error().message, m_job);
        }
    }
    void finished() { m_finished = true; }

private:
    ApiClient& m_api;
    std::int64_t m_job;
    bool m_finished = false;
};

// What the failed tasks' last attempts said.
std::string failure_text(ApiClient& api, std::int64_t job) {
    const std::string path = "/jobs/" + std::to_string(job) + "/tasks?status=failed";
    auto tasks = get_answer<protocol::TaskList>(api, path);
    if (!tasks) return "no reason could be read: " + tasks.error().message;
    if (tasks->tasks.empty()) return "the job ended as canceled or failed";
    const protocol::TaskSummary& first = tasks->tasks.front();
    std::string why = "no reason recorded";
    if (auto detail = get_answer<protocol::TaskDetail>(api, "/tasks/" + std::to_string(first.id))) {
        for (const protocol::AttemptRecord& attempt : detail->attempt_list) {
            if (!attempt.error.empty()) why = attempt.error;
        }
    }
    return fmt::format("frame {} did not render on the farm: {}", first.frames.to_string(), why);
}

std::size_t online_workers(ApiClient& api) {
    auto workers = get_answer<protocol::WorkerList>(api, "/workers");
    if (!workers) return 0;
    std::size_t online = 0;
    for (const protocol::WorkerSummary& w : workers->workers) {
        online += w.status != core::WorkerStatus::offline ? 1 : 0;
    }
    return online;
}

// The job's active tasks, for RenderProgress; none when they cannot be read.
std::vector<protocol::TaskSummary> active_tasks(ApiClient& api, const std::string& job_path) {
    auto active = get_answer<protocol::TaskList>(api, job_path + "/tasks?status=active");
    return active ? active->tasks : std::vector<protocol::TaskSummary>{};
}

}  // namespace

util::Result<SampleMeasurement> sample_on_farm(ApiClient& api, const EstimateArgs& a,
                                               const core::JobSettings& settings,
                                               const std::vector<int>& chosen,
                                               std::size_t frame_count) {
    const fs::path scene = settings.scene;
    auto folder = sample_folder(a);
    if (!folder) return folder.error();
    const json body = protocol::to_json(farm_sample_job(settings, chosen, folder->path()));
    const std::string url = api.config().manager_url;
    if (online_workers(api) == 0) {
        std::cerr << "spotfarm estimate: no worker is online at " << url
                  << " yet; the sample frames wait for one (Ctrl-C stops and deletes the job)\n";
    }
    auto submitted = api.post("/jobs", body);
    if (!submitted) return submitted.error();
    auto accepted = protocol::from_json<protocol::JobSummary>(*submitted);
    if (!accepted) {
        return util::make_error(
            "the manager accepted the sample job but its answer is not a "
            "job: " +
            accepted.error().message);
    }
    const std::int64_t job = accepted->id;
    JobRemover remover(api, job);

    util::StopSignals stop;
    const bool terminal = !a.json && ::isatty(STDERR_FILENO) != 0;
    if (!a.json) {
        std::cerr << fmt::format(
            "Sampling {} of {} frames of {} on the farm at {} (job {}, "
            "samples in {})\n",
            chosen.size(), frame_count, scene.filename().string(), url, job,
            folder->path().string());
    }
    RenderProgress progress(stderr, terminal, chosen.size(),
                            [&api](const std::string& path) { return api.get(path); });
    const std::string job_path = "/jobs/" + std::to_string(job);
    core::JobStatus status = core::JobStatus::queued;
    while (true) {
        if (stop.raised()) {
            progress.finish();
            return util::make_error(
                "interrupted while the farm rendered the sample frames; the sample job is deleted",
                util::ErrorKind::interrupted);
        }
        auto detail = api.get(job_path);
        if (!detail) return detail.error();
        auto read = read_answer<protocol::JobDetail>(detail, job_path);
        if (!read) return read.error();
        status = read->summary.status;
        progress.update(*read, active_tasks(api, job_path));
        if (core::is_finished(status)) break;
        std::this_thread::sleep_for(250ms);
    }
    progress.finish();
    remover.finished();
    if (status != core::JobStatus::completed) {
        return util::make_error(failure_text(api, job) +
                                    ". Fix the scene (try `spotfarm exec` on that frame) and "
                                    "estimate again",
                                util::ErrorKind::failed);
    }

    auto tasks = get_answer<protocol::TaskList>(api, job_path + "/tasks?status=completed");
    if (!tasks) return tasks.error();
    std::vector<protocol::TaskDetail> details;
    for (const protocol::TaskSummary& task : tasks->tasks) {
        auto detail = get_answer<protocol::TaskDetail>(api, "/tasks/" + std::to_string(task.id));
        if (!detail) return detail.error();
        details.push_back(std::move(detail).value());
    }
    auto times = farm_sample_times(details);
    if (!times) return times.error();
    SampleMeasurement m;
    m.scene_file = scene.filename().string();
    m.seconds = std::move(times->seconds);
    m.load_seconds = times->load_seconds;
    m.farm = url;
    m.farm_workers = times->workers;
    return m;
}

}  // namespace spotfarm::cli
