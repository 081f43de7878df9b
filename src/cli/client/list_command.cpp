#include "cli/client/list_command.h"

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/client/api_command.h"
#include "cli/common/time_text.h"

namespace spotfarm::cli {
namespace {

struct ListState {
    ListCommand command;
    ClientFlags client;
    bool json = false;
};

}  // namespace

void add_list_command(CLI::App& app, int& exit_code, ListCommand command) {
    auto state = std::make_shared<ListState>();
    state->command = std::move(command);
    auto* cmd = app.add_subcommand(state->command.name, state->command.description);
    cmd->footer(state->command.footer + k_client_config_help);
    cmd->add_flag("--json", state->json, "Print the manager's JSON list, for scripts");
    add_client_options(*cmd, state->client);
    cmd->callback([state, &exit_code] {
        const ListCommand& c = state->command;
        exit_code = run_api_command(c.name, state->client, [&](ApiClient& api) -> util::Status {
            auto list = api.get(c.path);
            if (!list) return list.error();
            util::Result<nlohmann::json> extra = util::make_error("none asked for");
            if (!c.extra_path.empty()) extra = api.get(c.extra_path);
            if (state->json) {
                if (extra && list->is_object()) (*list)[c.extra_key] = std::move(extra).value();
                print_json(std::cout, *list);
                return {};
            }
            auto table = c.render(*list, wall_now_ms());
            if (!table) {
                return util::make_error("the manager's answer to GET " + c.path + ": " +
                                        table.error().message);
            }
            std::cout << *table;
            if (extra && c.extra_render) {
                auto extra_table = c.extra_render(*extra, wall_now_ms());
                if (extra_table) std::cout << "\n" << *extra_table;
            }
            return {};
        });
    });
}

}  // namespace spotfarm::cli
