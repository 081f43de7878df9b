#pragma once
// Jobs as people read them, drawn from the manager's answers as the protocol's wire structs
// (protocol/job_summary.h, protocol/task_summary.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/jobs/job_eta.h"
#include "protocol/fleet_summary.h"
#include "protocol/job_summary.h"
#include "protocol/task_summary.h"

namespace spotfarm::cli {

// A job's frames by outcome. The job list carries task counts, not frame counts: with chunks of
// more than one frame, done and failed are estimated from the tasks (`exact` false); a detail
// answer counts them exactly.
struct FrameProgress {
    std::int64_t done = 0;
    std::int64_t failed = 0;
    std::int64_t total = 0;
    bool exact = true;
};
FrameProgress frame_progress(const protocol::JobSummary& job);
FrameProgress frame_progress(const protocol::JobDetail& job);

// `spotfarm jobs`: ID, NAME, STATUS, PRIO, DONE (frames done/total), FAILED, AGE, oldest first;
// with no job, how to submit one.
std::string render_jobs_table(const protocol::JobList& jobs, std::int64_t now_ms);

// `spotfarm job ID`: the job, the warnings of its rendered frames, then for each of
// `failed_tasks` the frames, the workers, the last error and the end of its log. `cost` (GET
// /jobs/{id}/cost, when the manager runs a fleet) adds what the job cost; `eta` (job_eta.h), when
// known, the time left and the clock time it should finish.
std::string render_job_detail(const protocol::JobDetail& job,
                              const std::vector<protocol::TaskDetail>& failed_tasks,
                              std::int64_t now_ms,
                              const std::optional<protocol::JobCost>& cost = std::nullopt,
                              const std::optional<JobEta>& eta = std::nullopt);

}  // namespace spotfarm::cli
