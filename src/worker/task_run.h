#pragma once
// One claimed task from start to report: render its frames, keep the lease alive with progress
// calls, obey a "stop" answer at once, and on a drain either let the frame in progress finish
// (when it fits in the window) or stop it. A transfer-mode task first lays out its job's tree, and
// uploads each frame as soon as it is done; only frames the manager holds are reported. What to
// tell the manager afterwards is returned, not sent: the loop puts it in the outbox first.

#include <cstdint>
#include <optional>

#include "protocol/protocol.h"
#include "util/clock.h"
#include "util/result.h"
#include "util/sleeper.h"
#include "worker/drain_monitor.h"
#include "worker/frame_renderer.h"
#include "worker/job_tree.h"
#include "worker/manager_api.h"
#include "worker/outbox.h"

namespace spotfarm::worker {

struct TaskContext {
    ManagerApi& manager;
    FrameRenderer& renderer;
    const util::Clock& clock;
    DrainMonitor& drain;
    std::int64_t worker_id = 0;
    util::Clock::duration heartbeat_interval{};  // the manager's; kept under a third of the lease
    util::Clock::duration report_margin{};       // kept free before a drain deadline for reporting
    std::uint64_t seed = 0;                      // for the back-off jitter
    // Transfer mode: where jobs' trees are fetched and laid out. None: such a task fails.
    JobTrees* trees = nullptr;
    // Waits between upload and fetch tries. None: the thread sleeps.
    util::Sleeper* sleeper = nullptr;
};

struct TaskEnd {
    enum class Kind {
        report,     // tell the manager `report`
        abandoned,  // the manager said stop or no longer knows the task: report nothing
        fatal,      // the worker cannot go on (its token was refused): `error`
    };
    Kind kind = Kind::report;
    std::optional<Report> report;
    util::Error error;
};

TaskEnd run_task(const protocol::Assignment& task, const TaskContext& context);

}  // namespace spotfarm::worker
