// `spotfarm jobs`: the jobs on a manager, as a table or as the API's JSON; it also registers the
// commands on one job (job_commands.h).

#include "cli/client/list_command.h"
#include "cli/common/commands.h"
#include "cli/jobs/job_view.h"
#include "cli/jobs/jobs_commands.h"

namespace spotfarm::cli {
namespace {

constexpr const char* k_jobs_list_footer = R"(
Columns: DONE is frames done of the job's frames, FAILED its failed frames ('~' marks counts
  estimated from tasks of several frames; `spotfarm job ID` counts exactly), AGE since submission.
Statuses: queued (waiting for a worker), active, paused, completed, failed, canceled.
Exit codes: 0 listed; 1 the manager refused; 2 bad input; 3 the manager could not be reached.

Examples:
  spotfarm jobs
  spotfarm jobs --manager http://render-box:8420 --token-file ~/farm/state/people.token
  spotfarm jobs --json | jq '.jobs[] | select(.status == "failed") | .id'
)";

}  // namespace

void add_jobs_command(CLI::App& app, int& exit_code) {
    add_list_command(app, exit_code,
                     {"jobs", "List the jobs on a manager, oldest first", k_jobs_list_footer,
                      "/jobs", list_table(&render_jobs_table)});
    add_job_command(app, exit_code);
    add_job_action_commands(app, exit_code);
}

}  // namespace spotfarm::cli
