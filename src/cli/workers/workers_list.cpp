// `spotfarm workers`: the workers a manager knows, as a table or as the API's JSON.

#include "cli/client/list_command.h"
#include "cli/common/commands.h"
#include "cli/workers/fleet_table.h"
#include "cli/workers/worker_view.h"

namespace spotfarm::cli {
namespace {

constexpr const char* k_workers_list_footer = R"(
Columns: TASK is the tasks it renders now; LAST SEEN its latest call to the manager.
Statuses: online (takes work), draining (leaving; its tasks went back to the queue), offline
  (silent for longer than the manager waits; back online when it calls again).
Fleet: when the manager runs one (--provider), a second table lists its instances. STATE says
  whether one still bills; PROVIDER STATE is the provider's own word on it (for Slurm, squeue's
  state and why it waits, like PENDING (Resources), or sacct's final state, like TIMEOUT 0:0);
  LAUNCHED is its launch (its submission, for Slurm). The line above the table counts the
  interruptions: instances that stopped without being asked to. With --json the fleet is under
  "fleet", as GET /api/v1/fleet answers it.
Exit codes: 0 listed; 1 the manager refused; 2 bad input; 3 the manager could not be reached.

Examples:
  spotfarm workers
  spotfarm workers --json | jq '.workers[] | select(.status == "online") | .host'
  spotfarm workers --json | jq '.fleet.instances[] | {id, detail, launched_at}'
)";

}  // namespace

void add_workers_command(CLI::App& app, int& exit_code) {
    add_list_command(app, exit_code,
                     {"workers", "List the workers of a manager and what they render",
                      k_workers_list_footer, "/workers", list_table(&render_workers_table),
                      "/fleet", "fleet", list_table(&render_fleet_table)});
}

}  // namespace spotfarm::cli
