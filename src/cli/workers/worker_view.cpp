#include "cli/workers/worker_view.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/common/table.h"
#include "cli/common/time_text.h"

namespace spotfarm::cli {

std::string render_workers_table(const protocol::WorkerList& workers, std::int64_t now_ms) {
    if (workers.workers.empty()) {
        return "No workers. Start one on any machine that can reach the manager:\n"
               "  spotfarm worker --manager URL --token \"$(cat STATE/worker-join.token)\"\n";
    }
    Table table({{"ID", Align::right},
                 {"NAME", Align::left, 30},
                 {"HOST", Align::left, 30},
                 {"STATUS"},
                 {"TASK"},
                 {"CORES", Align::right},
                 {"LAST SEEN", Align::right}});
    for (const protocol::WorkerSummary& worker : workers.workers) {
        std::string seen = format_age(worker.last_seen_ms, now_ms);
        table.add_row({std::to_string(worker.id), worker.name, worker.host,
                       std::string(core::to_string(worker.status)),
                       worker.tasks.empty() ? "-" : fmt::format("{}", fmt::join(worker.tasks, ",")),
                       std::to_string(worker.cores), seen == "-" ? seen : seen + " ago"});
    }
    return table.render();
}

}  // namespace spotfarm::cli
