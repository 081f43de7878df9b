#pragma once
// The frame of every people command: settle the connection, talk to the manager, and turn a
// failure into a message on stderr and the command's exit code.

#include <functional>
#include <iosfwd>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "cli/client/api_client.h"
#include "cli/client/client_config.h"
#include "util/result.h"

namespace spotfarm::cli {

// Runs `body` with a client for the configured manager (a real libcurl client). On an error
// prints "spotfarm NAME: message" to stderr and returns the error's code; 0 on success.
int run_api_command(std::string_view name, const ClientFlags& flags,
                    const std::function<util::Status(ApiClient&)>& body);

// The API's JSON as scripts read it: indented, one document, ending in a newline.
void print_json(std::ostream& out, const nlohmann::json& value);

}  // namespace spotfarm::cli
