#pragma once
// Something that happened on the farm, for people and the dashboard.

#include <cstdint>
#include <string>

#include "core/ids.h"

namespace spotfarm::core {

struct Event {
    EventId id;
    std::int64_t time_ms = 0;
    std::string kind;  // "job.complete", "task.fail", "worker.offline", ... (see Scheduler)
    JobId job;
    TaskId task;
    WorkerId worker;
    std::string message;
};

}  // namespace spotfarm::core
