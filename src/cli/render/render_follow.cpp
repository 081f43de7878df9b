#include "cli/render/render_follow.h"

#include <chrono>
#include <thread>

#include "cli/client/wire_answer.h"
#include "cli/common/json_access.h"
#include "core/job_status.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"

namespace spotfarm::cli {

namespace {

using json = nlohmann::json;

// The id of the newest event now, so the loop waits only for what comes next.
std::int64_t newest_event(ApiClient& api) {
    std::int64_t last = 0;
    for (int pages = 0; pages < 1000; ++pages) {
        auto page = api.get("/events?after=" + std::to_string(last) + "&limit=10000");
        if (!page) return last;
        const json& events = list_in(*page, "events");
        last = page->value("last", last);
        if (!events.is_array() || events.size() < 10000) return last;
    }
    return last;
}

}  // namespace

FollowResult follow_job(ApiClient& api, std::int64_t job, RenderProgress& progress,
                        const util::StopSignals& stop, const FleetCheck& fleet_check) {
    const auto started = std::chrono::steady_clock::now();
    const std::string job_path = "/jobs/" + std::to_string(job);
    FollowResult result;
    std::int64_t after = newest_event(api);
    while (true) {
        if (stop.raised()) {
            result.stopped_by = "interrupted";
            break;
        }
        if (fleet_check) {
            if (auto why = fleet_check()) {
                result.stopped_by = *why;
                break;
            }
        }
        if (auto job = get_answer<protocol::JobDetail>(api, job_path)) {
            result.status = std::string(core::to_string(job->summary.status));
            auto active = get_answer<protocol::TaskList>(api, job_path + "/tasks?status=active");
            progress.update(*job, active ? active->tasks : std::vector<protocol::TaskSummary>{});
            if (core::is_finished(job->summary.status)) break;
        }
        // Wakes at the next event (a job's end among them) or after a second, for the redraw.
        if (auto events = api.get("/events?after=" + std::to_string(after) + "&wait=1")) {
            after = events->value("last", after);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));  // not a busy loop
        }
    }
    progress.finish();
    result.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace spotfarm::cli
