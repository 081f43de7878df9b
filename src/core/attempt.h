#pragma once
// One try of one worker at one task, from claim to its end.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/task.h"

namespace spotfarm::core {

enum class AttemptOutcome : std::uint8_t {
    running,
    completed,
    failed,
    lease_expired,  // no heartbeat in time
    released,       // the worker drained
    stopped,        // its job was paused, canceled, failed or deleted
    superseded,     // another worker delivered the results first
};

std::string_view to_string(AttemptOutcome outcome);
std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view text);

// An attempt that ended. While it runs, an attempt lives in its task (attempt, worker,
// attempt_started_ms) only, so a claim writes one row; its own record is written when it ends.
struct AttemptEnd {
    AttemptId id;
    TaskId task;
    JobId job;
    WorkerId worker;
    std::int64_t started_ms = 0;
    AttemptOutcome outcome = AttemptOutcome::completed;
    std::int64_t time_ms = 0;
    std::string error;
    std::string log_tail;
    std::vector<FrameResult> results;
    bool recorded = false;  // it ended before (a late result revises it): update, do not insert
};

// An attempt as recorded: its start, and its end once it ended.
struct Attempt {
    AttemptId id;
    TaskId task;
    JobId job;
    WorkerId worker;
    std::int64_t started_ms = 0;
    std::int64_t ended_ms = 0;  // 0 while running
    AttemptOutcome outcome = AttemptOutcome::running;
    std::string error;
    std::string log_tail;
    std::vector<FrameResult> results;
};

}  // namespace spotfarm::core
