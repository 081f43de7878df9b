#pragma once
// Workers as people read them, drawn from the API's JSON (the shapes of manager/farm_json.h).

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "util/result.h"

namespace spotfarm::cli {

// `spotfarm workers`: ID, NAME, HOST, STATUS, TASK (the tasks it holds), CORES, LAST SEEN.
// Fails when `workers` is not a list.
util::Result<std::string> render_workers_table(const nlohmann::json& workers, std::int64_t now_ms);

}  // namespace spotfarm::cli
