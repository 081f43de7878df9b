// `spotfarm job ID`: one job in detail: progress, frames by status, failures with their logs.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/client/api_command.h"
#include "cli/common/commands.h"
#include "cli/jobs/job_eta.h"
#include "cli/jobs/jobs_commands.h"
#include "cli/jobs/job_view.h"
#include "cli/common/json_access.h"
#include "cli/common/time_text.h"

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

constexpr const char* k_footer = R"(
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
util::Result<std::vector<json>> failed_tasks(ApiClient& api, const json& job, std::size_t& more) {
    std::vector<json> out;
    more = 0;
    if (int_field(field(job, "tasks"), "failed") == 0) return out;
    std::string id = id_text(field(job, "id"));
    auto tasks = api.get("/jobs/" + id + "/tasks?status=failed");
    if (!tasks) return tasks.error();
    const json& list = list_in(*tasks, "tasks");
    if (!list.is_array()) return util::make_error("the list of tasks is not a JSON list");
    for (const json& task : list) {
        if (text_field(task, "status") != "failed") continue;
        if (out.size() == k_failures_shown) {
            ++more;
            continue;
        }
        auto detail = api.get("/tasks/" + id_text(field(task, "id")));
        if (!detail) return detail.error();
        out.push_back(std::move(detail).value());
    }
    return out;
}

// The ETA of a job that is rendering, from its finished frames' times; none when it is not
// rendering or nothing is known yet (a failed read only costs the ETA).
std::optional<JobEta> live_eta(ApiClient& api, const json& job) {
    const std::string status = text_field(job, "status");
    if (status != "active" && status != "queued") return std::nullopt;
    if (int_field(job, "frames_done") == 0) return std::nullopt;
    JobFrameTimes times([&api](const std::string& path) { return api.get(path); });
    if (!times.refresh(int_field(job, "id"))) return std::nullopt;
    auto active = api.get("/jobs/" + id_text(field(job, "id")) + "/tasks?status=active");
    if (!active) return std::nullopt;
    return job_eta(job, times.times(), list_in(*active, "tasks"));
}

util::Status show_job(ApiClient& api, const JobOptions& options) {
    auto job = api.get("/jobs/" + std::to_string(options.id));
    if (!job) return job.error();
    // A manager that runs a fleet knows what the job cost; one without answers 404.
    if (auto cost = api.get("/jobs/" + std::to_string(options.id) + "/cost");
        cost && cost->is_object() && job->is_object())
        (*job)["cost"] = std::move(cost).value();
    if (options.json) {
        print_json(std::cout, *job);
        return {};
    }
    std::size_t more = 0;
    auto failures = failed_tasks(api, *job, more);
    if (!failures) {
        std::cerr << "spotfarm job: could not read the failed tasks: " << failures.error().message
                  << "\n";
    }
    auto text = render_job_detail(*job, failures ? *failures : std::vector<json>{}, wall_now_ms(),
                                  live_eta(api, *job));
    if (!text) return text.error();
    std::cout << *text;
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
    cmd->footer(std::string(k_footer) + k_client_config_help);
    add_job_id_argument(*cmd, options->id);
    cmd->add_flag("--json", options->json, "Print the manager's JSON for the job, for scripts");
    add_client_options(*cmd, options->client);
    cmd->callback([options, &exit_code] {
        exit_code = run_api_command("job", options->client,
                                    [&](ApiClient& api) { return show_job(api, *options); });
    });
}

}  // namespace spotfarm::cli
