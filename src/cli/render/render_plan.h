#pragma once
// What `spotfarm render` is asked to do, checked before anything starts: the scene, the frames,
// the output pattern and the job to submit. A bad flag or a missing scene ends here, with exit 2
// and nothing written.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/frame_set.h"
#include "protocol/job_summary.h"
#include "util/result.h"

namespace spotfarm::cli {

struct RenderArgs;

struct RenderPlan {
    std::filesystem::path scene;  // absolute
    core::FrameSet frames;
    std::string pattern;  // absolute output pattern, e.g. /renders/shot_####
    std::filesystem::path output_dir;
    nlohmann::json job;  // the body of POST /jobs
};

// The plan for these arguments; `workers` shares out this machine's threads.
util::Result<RenderPlan> make_render_plan(const RenderArgs& args, int workers);

// Whether `job` (an entry of GET /jobs) is an earlier run of this plan, to resume.
bool is_earlier_run(const protocol::JobSummary& job, const RenderPlan& plan);

// Removes the temporary files a worker killed between writing a frame and renaming it into place
// left in the output folder (util::is_temp_name). Only while this render holds the folder's lock
// and before its workers start: then no one else is writing there. Returns how many went.
int remove_leftover_temporaries(const RenderPlan& plan);

// Frames whose file is not on disk or is empty, checked after the farm says it is done. A frame
// takes its final name only after its worker decoded it in full (blender::Session), so what is
// left to check here is that nothing removed or emptied it since: decoding every frame again
// would cost the render a second (and OpenImageIO) at its end.
std::vector<int> frames_missing_on_disk(const RenderPlan& plan);

}  // namespace spotfarm::cli
