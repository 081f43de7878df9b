#include "cli/workers/worker_view.h"

#include <nlohmann/json.hpp>

#include "cli/common/json_access.h"
#include "cli/common/table.h"
#include "cli/common/time_text.h"

namespace spotfarm::cli {

util::Result<std::string> render_workers_table(const nlohmann::json& workers, std::int64_t now_ms) {
    if (!workers.is_array()) {
        return util::make_error("the manager's answer to GET /workers is not a list of workers");
    }
    if (workers.empty()) {
        return std::string(
            "No workers. Start one on any machine that can reach the manager:\n"
            "  spotfarm worker --manager URL --token \"$(cat STATE/worker-join.token)\"\n");
    }
    Table table({{"ID", Align::right},
                 {"NAME", Align::left, 30},
                 {"HOST", Align::left, 30},
                 {"STATUS"},
                 {"TASK"},
                 {"CORES", Align::right},
                 {"LAST SEEN", Align::right}});
    for (const auto& worker : workers) {
        std::string seen = format_age(int_field(worker, "last_seen_ms"), now_ms);
        table.add_row({id_text(field(worker, "id")), text_field(worker, "name"),
                       text_field(worker, "host"), text_field(worker, "status", "?"),
                       id_list(field(worker, "tasks"), ","), id_text(field(worker, "cores")),
                       seen == "-" ? seen : seen + " ago"});
    }
    return table.render();
}

}  // namespace spotfarm::cli
