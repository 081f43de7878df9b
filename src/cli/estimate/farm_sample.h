#pragma once
// `spotfarm estimate --manager`: the sample job sent to a farm and what its answers measured. Pure
// (the manager's answers as wire structs in, figures out); estimate_farm.cpp talks to the manager.

#include <cstddef>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/job_settings.h"
#include "estimate/estimate.h"
#include "protocol/job_submission.h"
#include "protocol/task_summary.h"
#include "util/result.h"

namespace spotfarm::cli {

// The job to POST: the sample frames, one per task, rendered with the job's `settings` (as
// job_settings checked them) into `output_dir`, which every worker must be able to write.
protocol::JobSubmission farm_sample_job(const core::JobSettings& settings,
                                        const std::vector<int>& frames,
                                        const std::filesystem::path& output_dir);

struct FarmSampleTimes {
    estimate::FrameTimes seconds;  // pure render seconds of each frame, as its worker reported them
    double load_seconds = 0;  // Blender start and scene load on a worker, averaged over workers
    std::size_t workers = 0;  // workers whose attempts completed frames
};

// From the GET /tasks/{id} answers of the sample job's tasks (their completed attempts). A worker's
// first attempt on the job starts its Blender and loads the scene; its later ones find the scene
// loaded. So the scene load is the first attempt's time outside Blender's render calls less
// that of a warm attempt (the median over the job's warm attempts; with none, the time around
// render calls is counted whole, which overstates the load by the saving and reporting of a
// frame). Fails when no frame time is found.
util::Result<FarmSampleTimes> farm_sample_times(
    const std::vector<protocol::TaskDetail>& task_details);

}  // namespace spotfarm::cli
