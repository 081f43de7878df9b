#pragma once
// Jobs as people read them, drawn from the API's JSON (the shapes of manager/farm_json.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cli/jobs/job_eta.h"
#include "util/result.h"

namespace spotfarm::cli {

// A job's frames by outcome. The job list carries task counts, not frame counts: with chunks of
// more than one frame, done and failed are estimated from the tasks (`exact` false) unless the
// answer carries frames_done itself.
struct FrameProgress {
    std::int64_t done = 0;
    std::int64_t failed = 0;
    std::int64_t total = 0;
    bool exact = true;
};
FrameProgress frame_progress(const nlohmann::json& job);

// `spotfarm jobs`: ID, NAME, STATUS, PRIO, DONE (frames done/total), FAILED, AGE, oldest first.
// Fails when `jobs` is not a list.
util::Result<std::string> render_jobs_table(const nlohmann::json& jobs, std::int64_t now_ms);

// `spotfarm job ID`: the JobDetail answer, then for each of `failed_tasks` (TaskDetail answers)
// the frames, the workers, the last error and the end of its log. `eta` (job_eta.h), when known,
// adds the time left and the clock time it should finish.
util::Result<std::string> render_job_detail(const nlohmann::json& job,
                                            const std::vector<nlohmann::json>& failed_tasks,
                                            std::int64_t now_ms,
                                            const std::optional<JobEta>& eta = std::nullopt);

}  // namespace spotfarm::cli
