#pragma once
// A worker as the scheduler sees it: what it offers, whether it is reachable, what it holds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "util/clock.h"

namespace spotfarm::core {

enum class WorkerStatus : std::uint8_t {
    online,    // claims work
    draining,  // leaving: its tasks were returned, it gets no more
    offline,   // not heard from within the worker timeout; back online when it calls again
};

std::string_view to_string(WorkerStatus status);
std::optional<WorkerStatus> parse_worker_status(std::string_view text);

struct WorkerInfo {
    std::string name;
    std::string host;
    int cores = 0;
    std::int64_t memory_bytes = 0;
    std::vector<std::string> gpus;
    std::string blender_version;
    std::vector<std::string> tags;
};

struct Worker {
    WorkerId id;
    WorkerInfo info;
    WorkerStatus status = WorkerStatus::online;
    std::string secret_hash;  // of the secret it authenticates with
    std::int64_t registered_ms = 0;
    std::int64_t last_seen_ms = 0;
    util::Clock::time_point last_seen{};
    // The job whose scene its Blender session holds (the job of its latest claim).
    std::optional<JobId> warm_job;
    std::vector<TaskId> tasks;  // tasks it holds leases on
};

}  // namespace spotfarm::core
