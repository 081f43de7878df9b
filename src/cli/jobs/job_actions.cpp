// `spotfarm cancel|pause|resume|requeue|delete ID`: change a job's course on its manager.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/client/api_command.h"
#include "cli/common/commands.h"
#include "cli/jobs/jobs_commands.h"

namespace spotfarm::cli {
namespace {

struct JobAction {
    const char* name;
    const char* description;
    const char* method;  // "POST" to /jobs/{id}/{name}, "DELETE" to /jobs/{id}
    const char* done;    // what happened, after "Job ID "
    const char* example;
};

constexpr JobAction k_actions[] = {
    {"cancel", "Cancel a job: its workers stop rendering it within seconds", "POST",
     "canceled; frames already rendered stay on disk. Run it again with: spotfarm requeue ",
     "spotfarm cancel 7"},
    {"pause", "Pause a job: no new frames start and running ones stop", "POST",
     "paused. Go on with: spotfarm resume ", "spotfarm pause 7"},
    {"resume", "Resume a paused job", "POST",
     "resumed; its frames are queued again. Follow it: "
     "spotfarm job ",
     "spotfarm resume 7"},
    {"requeue", "Queue a job's failed and canceled frames again", "POST",
     "requeued: its failed and canceled frames are queued again. Follow it: spotfarm job ",
     "spotfarm requeue 7"},
    {"delete", "Delete a job and its records from the manager (not its rendered files)", "DELETE",
     "deleted from the manager; its rendered files stay on disk.", "spotfarm delete 7"},
};

struct ActionOptions {
    ClientFlags client;
    std::int64_t id = 0;
    bool json = false;
};

util::Status run_action(ApiClient& api, const JobAction& action, const ActionOptions& options) {
    std::string id = std::to_string(options.id);
    bool is_delete = std::string_view(action.method) == "DELETE";
    auto answer =
        is_delete ? api.remove("/jobs/" + id) : api.post("/jobs/" + id + "/" + action.name);
    if (!answer) return answer.error();
    if (options.json) {
        print_json(std::cout, answer->is_null() ? nlohmann::json::object() : *answer);
        return {};
    }
    std::string done = action.done;
    if (done.ends_with(' ')) done += id;  // the follow-up command takes the id
    std::cout << "Job " << id << " " << done << "\n";
    return {};
}

std::string footer(const JobAction& action) {
    return std::string(R"(
Exit codes: 0 done; 1 no such job, or its status does not allow it (e.g. resuming a job that is
  not paused; the manager says why); 2 bad input; 3 the manager could not be reached.

Example:
  )") + action.example +
           "\n";
}

}  // namespace

void add_job_action_commands(CLI::App& app, int& exit_code) {
    for (const JobAction& action : k_actions) {
        auto options = std::make_shared<ActionOptions>();
        auto* cmd = app.add_subcommand(action.name, action.description);
        cmd->footer(footer(action) + k_client_config_help);
        add_job_id_argument(*cmd, options->id);
        cmd->add_flag("--json", options->json, "Print the manager's answer as JSON");
        add_client_options(*cmd, options->client);
        cmd->callback([options, &action, &exit_code] {
            exit_code = run_api_command(action.name, options->client, [&](ApiClient& api) {
                return run_action(api, action, *options);
            });
        });
    }
}

}  // namespace spotfarm::cli
