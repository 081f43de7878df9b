#include "cli/client/api_command.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/common/commands.h"

namespace spotfarm::cli {

int run_api_command(std::string_view name, const ClientFlags& flags,
                    const std::function<util::Status(ApiClient&)>& body) {
    auto fail = [name](const util::Error& error) {
        std::cerr << "spotfarm " << name << ": " << error.message << "\n";
        return exit_code(error.kind);
    };
    auto config = resolve_client_config(flags, process_environment());
    if (!config) return fail(config.error());
    util::CurlHttpClient http(util::TlsTrust{config->manager_pin});
    ApiClient client(http, std::move(config).value());
    if (auto done = body(client); !done) return fail(done.error());
    return k_exit_ok;
}

void print_json(std::ostream& out, const nlohmann::json& value) {
    out << value.dump(2) << "\n";
}

}  // namespace spotfarm::cli
