#pragma once
// A rendered frame of a transfer job goes to the manager's output store (docs/transfer.md): hashed,
// PUT, tried again with back-off while the manager cannot take it (no answer, 5xx, 507 disk full)
// and the task is still this worker's, and removed here once the manager has it. The task reports
// complete only after every frame came through this.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "util/clock.h"
#include "util/result.h"
#include "util/sleeper.h"
#include "worker/manager_api.h"

namespace spotfarm::worker {

struct UploadContext {
    ManagerApi& manager;
    const util::Clock& clock;
    util::Sleeper& sleeper;
    // Asked before each try after the first (it heartbeats): false when the task is no longer
    // this worker's, and the frame is not worth sending.
    std::function<bool()> still_ours;
    // True when the worker must stop now (a second signal, a drain deadline): no more tries.
    std::function<bool()> must_stop;
    util::Clock::duration give_up_after = std::chrono::minutes(10);  // without the manager
    int hash_mismatch_tries = 3;  // 422s in a row before the frame counts as failed
    std::uint64_t seed = 0;       // for the back-off jitter
};

enum class UploadEnd {
    kept,     // the manager holds the frame; the local file is gone
    gone,     // the attempt is no longer the task's (409, or still_ours said no): stop the task
    stopped,  // must_stop said so first; the frame stays here unsent
    failed,   // it cannot be sent: `error` says why
};

struct UploadOutcome {
    UploadEnd end = UploadEnd::kept;
    util::Error error;
    int tries = 0;
};

// Uploads `file` as frame `frame` of attempt `attempt_id` under `name` (its path relative to the
// job's out folder).
UploadOutcome upload_frame_file(const UploadContext& context, std::int64_t task_id,
                                std::int64_t attempt_id, int frame, const std::string& name,
                                const std::filesystem::path& file);

}  // namespace spotfarm::worker
