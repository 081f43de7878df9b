#include "cli/estimate/estimate_farm.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "cli/common/commands.h"
#include "cli/common/json_access.h"
#include "cli/estimate/farm_sample.h"
#include "cli/render/render_progress.h"
#include "protocol/job_submission.h"
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
    auto tasks = api.get("/jobs/" + std::to_string(job) + "/tasks?status=failed");
    if (!tasks) return "no reason could be read: " + tasks.error().message;
    const json& list = list_in(*tasks, "tasks");
    if (!list.is_array() || list.empty()) return "the job ended as canceled or failed";
    const json& first = list.front();
    std::string why = "no reason recorded";
    if (auto detail = api.get("/tasks/" + std::to_string(int_field(first, "id")))) {
        const json& attempts = field(*detail, "attempt_list");
        if (attempts.is_array()) {
            for (const json& attempt : attempts) {
                if (!text_field(attempt, "error").empty()) why = text_field(attempt, "error");
            }
        }
    }
    return fmt::format("frame {} did not render on the farm: {}", text_field(first, "frames"), why);
}

std::size_t online_workers(ApiClient& api) {
    auto workers = api.get("/workers");
    if (!workers) return 0;
    std::size_t online = 0;
    const json& list = list_in(*workers, "workers");
    if (!list.is_array()) return 0;
    for (const json& w : list) online += text_field(w, "status") != "offline" ? 1 : 0;
    return online;
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
    const json& id = field(*submitted, "id");
    if (!id.is_number_integer()) {
        return util::make_error("the manager accepted the sample job but its answer has no id: " +
                                submitted->dump());
    }
    const std::int64_t job = id.get<std::int64_t>();
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
    std::string status;
    while (true) {
        if (stop.raised()) {
            progress.finish();
            return util::make_error(
                "interrupted while the farm rendered the sample frames; the sample job is deleted",
                util::ErrorKind::interrupted);
        }
        auto detail = api.get(job_path);
        if (!detail) return detail.error();
        status = text_field(*detail, "status");
        auto active = api.get(job_path + "/tasks?status=active");
        progress.update(*detail, active ? list_in(*active, "tasks") : json::array());
        if (status == "completed" || status == "failed" || status == "canceled") break;
        std::this_thread::sleep_for(250ms);
    }
    progress.finish();
    remover.finished();
    if (status != "completed") {
        return util::make_error(failure_text(api, job) +
                                    ". Fix the scene (try `spotfarm exec` on that frame) and "
                                    "estimate again",
                                util::ErrorKind::failed);
    }

    auto tasks = api.get(job_path + "/tasks?status=completed");
    if (!tasks) return tasks.error();
    std::vector<json> details;
    const json& list = list_in(*tasks, "tasks");
    if (list.is_array()) {
        for (const json& task : list) {
            auto detail = api.get("/tasks/" + std::to_string(int_field(task, "id")));
            if (!detail) return detail.error();
            details.push_back(std::move(*detail));
        }
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
