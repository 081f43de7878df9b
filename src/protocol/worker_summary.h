#pragma once
// The workers the manager shows people (GET /workers, GET /workers/{id}) as wire structs, written
// by the manager and read by every client with the checked readers of protocol.h. Memory is in
// bytes here, unlike the MiB of a worker's RegisterRequest. docs/api.md has the shapes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/worker.h"
#include "protocol/protocol.h"

namespace spotfarm::protocol {

struct WorkerSummary {
    std::int64_t id = 0;
    std::string name;
    std::string host;
    int cores = 0;
    std::int64_t memory_bytes = 0;
    std::vector<std::string> gpus;
    std::string blender_version;
    std::vector<std::string> tags;
    core::WorkerStatus status = core::WorkerStatus::online;
    std::int64_t registered_ms = 0;
    std::int64_t last_seen_ms = 0;         // its latest call to the manager
    std::optional<std::int64_t> warm_job;  // the job whose scene its Blender holds; null: none
    std::vector<std::int64_t> tasks;       // the tasks it holds leases on

    bool operator==(const WorkerSummary&) const = default;
};

// GET /workers: {"workers": [...]}.
struct WorkerList {
    std::vector<WorkerSummary> workers;

    bool operator==(const WorkerList&) const = default;
};

nlohmann::json to_json(const WorkerSummary& v);
nlohmann::json to_json(const WorkerList& v);

template <>
util::Result<WorkerSummary> from_json<WorkerSummary>(const nlohmann::json& j);
template <>
util::Result<WorkerList> from_json<WorkerList>(const nlohmann::json& j);

}  // namespace spotfarm::protocol
