#pragma once
// Workers as people read them, drawn from the manager's answers as the protocol's wire structs
// (protocol/worker_summary.h).

#include <cstdint>
#include <string>

#include "protocol/worker_summary.h"

namespace spotfarm::cli {

// `spotfarm workers`: ID, NAME, HOST, STATUS, TASK (the tasks it holds), CORES, LAST SEEN; with
// no worker, how to start one.
std::string render_workers_table(const protocol::WorkerList& workers, std::int64_t now_ms);

}  // namespace spotfarm::cli
