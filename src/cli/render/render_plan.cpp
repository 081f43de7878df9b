#include "cli/render/render_plan.h"

#include <algorithm>
#include <iostream>
#include <thread>

#include "blender/output_pattern.h"
#include "cli/common/scene_video.h"
#include "cli/render/render_args.h"
#include "protocol/job_submission.h"
#include "protocol/video_output_json.h"
#include "util/atomic_file.h"
#include "util/folder_check.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

util::Result<RenderPlan> make_render_plan(const RenderArgs& a, int workers) {
    std::error_code ec;
    auto job = job_submission(a.render, fs::current_path(ec));
    if (!job) return job.error();
    RenderPlan plan;
    plan.scene = job->settings.scene;
    plan.frames = job->frames;
    plan.pattern = job->settings.output.value_or("");
    plan.output_dir = fs::path(plan.pattern).parent_path();
    if (auto st = util::ensure_writable_folder(plan.output_dir, "output folder"); !st) {
        return st.error();
    }
    auto media = check_scene_video(a.render, job->settings, std::cerr);
    if (!media) return media.error();
    if (job->name.empty()) job->name = plan.scene.stem().string();
    if (!job->settings.threads) {
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        job->settings.threads = std::max(1, static_cast<int>(cores) / std::max(1, workers));
    }
    plan.job = protocol::to_json(*job);
    plan.job.update(protocol::to_json(*media));
    return plan;
}

bool is_earlier_run(const protocol::JobSummary& job, const RenderPlan& plan) {
    return job.scene == plan.scene.string() && job.output == plan.pattern &&
           job.frames == plan.frames.to_string() && job.status != core::JobStatus::canceled;
}

int remove_leftover_temporaries(const RenderPlan& plan) {
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(plan.output_dir, ec)) {
        if (!util::is_temp_name(entry.path().filename().string())) continue;
        std::error_code gone;
        if (fs::remove(entry.path(), gone)) ++removed;
    }
    return removed;
}

std::vector<int> frames_missing_on_disk(const RenderPlan& plan) {
    static const char* k_extensions[] = {".png", ".jpg", ".exr", ".tif", ".tiff", ".bmp", ".webp"};
    std::vector<int> missing;
    for (int frame : plan.frames.frames()) {
        bool ok = false;
        for (const char* ext : k_extensions) {
            fs::path path = blender::frame_path(plan.pattern, frame, ext);
            std::error_code ec;
            if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) > 0 && !ec) {
                ok = true;
                break;
            }
        }
        if (!ok) missing.push_back(frame);
    }
    return missing;
}

}  // namespace spotfarm::cli
