#pragma once
// A people command that reads one list from the manager and prints it as a table, or as the
// API's JSON with --json (spotfarm jobs, spotfarm workers).

#include <cstdint>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::cli {

// Reads a list answer and draws it as a table; fails, naming the field, when the answer does
// not read as the list.
using ListRender =
    std::function<util::Result<std::string>(const nlohmann::json& answer, std::int64_t now_ms)>;

struct ListCommand {
    std::string name;         // the subcommand
    std::string description;  // one line for --help
    std::string footer;       // columns, statuses, exit codes, examples
    std::string path;         // under /api/v1
    ListRender render;
    // Optional: a second answer shown after the table when the manager has it (GET /fleet beside
    // /workers) and put under `extra_key` in the --json answer; a failed read shows nothing.
    std::string extra_path;
    std::string extra_key;
    ListRender extra_render;
};

// The ListRender of a list answer that is wire struct List (protocol::JobList, ...): read with
// protocol::from_json, then drawn by `table`.
template <class List>
ListRender list_table(std::string (*table)(const List& list, std::int64_t now_ms)) {
    return [table](const nlohmann::json& answer, std::int64_t now_ms) -> util::Result<std::string> {
        auto list = protocol::from_json<List>(answer);
        if (!list) return list.error();
        return table(*list, now_ms);
    };
}

void add_list_command(CLI::App& app, int& exit_code, ListCommand command);

}  // namespace spotfarm::cli
