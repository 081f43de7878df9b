#pragma once
// A people command that reads one list from the manager and prints it as a table, or as the
// API's JSON with --json (spotfarm jobs, spotfarm workers).

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

#include "util/result.h"

namespace spotfarm::cli {

struct ListCommand {
    std::string name;         // the subcommand
    std::string description;  // one line for --help
    std::string footer;       // columns, statuses, exit codes, examples
    std::string path;         // under /api/v1
    std::string key;          // the answer's list is under this key
    util::Result<std::string> (*render)(const nlohmann::json& list, std::int64_t now_ms);
};

void add_list_command(CLI::App& app, int& exit_code, ListCommand command);

}  // namespace spotfarm::cli
