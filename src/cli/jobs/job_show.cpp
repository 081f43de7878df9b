// `spotfarm job ID`: one job in detail: progress, frames by status, failures with their logs.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/client/api_command.h"
#include "cli/client/wire_answer.h"
#include "cli/common/commands.h"
#include "cli/common/time_text.h"
#include "cli/jobs/job_eta.h"
#include "cli/jobs/job_view.h"
#include "cli/jobs/jobs_commands.h"

namespace spotfarm::cli {
namespace {

using nlohmann::json;

// Failed tasks shown with their logs; the rest are counted.
constexpr std::size_t k_failures_shown = 5;

struct JobOptions {
    ClientFlags client;
    std::int64_t id = 0;
    bool json = false;
};

constexpr const char* k_job_show_footer = R"(
Shows the job's settings and progress, its frames grouped by the status of their task (as frame
sets such as 1-40,42), and for failed tasks the workers they failed on, the last error and the
end of Blender's log. A failed task was tried on several workers before it was given up.
When the manager runs a fleet (--provider), the job's cost: the instance-hours of the fleet
  between the job's submission and its end, and their price.
Exit codes: 0 shown; 1 no such job or the manager refused; 2 bad input; 3 the manager could not
  be reached.

Examples:
  spotfarm job 7
  spotfarm job 7 --json | jq .frames_by_status
  spotfarm requeue 7        # after fixing the cause: try its failed frames again
)";

// The failed tasks of the job with their attempts, the first k_failures_shown of them.
util::Result<std::vector<protocol::TaskDetail>> failed_tasks(ApiClient& api,
                                                             const protocol::JobDetail& job,
                                                             std::size_t& more) {
    std::vector<protocol::TaskDetail> out;
    more = 0;
    auto failed = job.summary.tasks.find(core::TaskStatus::failed);
    if (failed == job.summary.tasks.end() || failed->second == 0) return out;
    const std::string path = "/jobs/" + std::to_string(job.summary.id) + "/tasks?status=failed";
    auto tasks = get_answer<protocol::TaskList>(api, path);
    if (!tasks) return tasks.error();
    for (const protocol::TaskSummary& task : tasks->tasks) {
        if (task.status != core::TaskStatus::failed) continue;
        if (out.size() == k_failures_shown) {
            ++more;
            continue;
        }
        const std::string task_path = "/tasks/" + std::to_string(task.id);
        auto detail = get_answer<protocol::TaskDetail>(api, task_path);
        if (!detail) return detail.error();
        out.push_back(std::move(detail).value());
    }
    return out;
}

// The ETA of a job that is rendering, from its finished frames' times; none when it is not
// rendering or nothing is known yet (a failed read only costs the ETA).
std::optional<JobEta> live_eta(ApiClient& api, const protocol::JobDetail& job) {
    const core::JobStatus status = job.summary.status;
    if (status != core::JobStatus::active && status != core::JobStatus::queued) {
        return std::nullopt;
    }
    if (job.frames_done == 0) return std::nullopt;
    JobFrameTimes times([&api](const std::string& path) { return api.get(path); });
    if (!times.refresh(job.summary.id)) return std::nullopt;
    const std::string path = "/jobs/" + std::to_string(job.summary.id) + "/tasks?status=active";
    auto active = get_answer<protocol::TaskList>(api, path);
    if (!active) return std::nullopt;
    return job_eta(job, times.times(), active->tasks);
}

util::Status show_job(ApiClient& api, const JobOptions& options) {
    const std::string path = "/jobs/" + std::to_string(options.id);
    auto answer = api.get(path);
    if (!answer) return answer.error();
    // A manager that runs a fleet knows what the job cost; one without answers 404.
    auto cost_answer = api.get(path + "/cost");
    if (options.json) {
        if (cost_answer && cost_answer->is_object() && answer->is_object())
            (*answer)["cost"] = std::move(cost_answer).value();
        print_json(std::cout, *answer);
        return {};
    }
    auto job = read_answer<protocol::JobDetail>(answer, path);
    if (!job) return job.error();
    std::optional<protocol::JobCost> cost;
    if (cost_answer) {
        auto read = read_answer<protocol::JobCost>(cost_answer, path + "/cost");
        if (read) {
            cost = std::move(read).value();
        } else {
            std::cerr << "spotfarm job: could not read the job's cost: " << read.error().message
                      << "\n";
        }
    }
    std::size_t more = 0;
    auto failures = failed_tasks(api, *job, more);
    if (!failures) {
        std::cerr << "spotfarm job: could not read the failed tasks: " << failures.error().message
                  << "\n";
    }
    std::cout << render_job_detail(*job, failures ? *failures : std::vector<protocol::TaskDetail>{},
                                   wall_now_ms(), cost, live_eta(api, *job));
    if (more > 0) {
        std::cout << "  ... and " << more << " more failed tasks (GET /api/v1/jobs/" << options.id
                  << "/tasks?status=failed)\n";
    }
    return {};
}

}  // namespace

void add_job_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<JobOptions>();
    auto* cmd = app.add_subcommand("job", "Show one job: progress, frames by status, failures");
    cmd->footer(std::string(k_job_show_footer) + k_client_config_help);
    add_job_id_argument(*cmd, options->id);
    cmd->add_flag("--json", options->json, "Print the manager's JSON for the job, for scripts");
    add_client_options(*cmd, options->client);
    cmd->callback([options, &exit_code] {
        exit_code = run_api_command("job", options->client,
                                    [&](ApiClient& api) { return show_job(api, *options); });
    });
}

}  // namespace spotfarm::cli
