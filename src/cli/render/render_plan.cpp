#include "cli/render/render_plan.h"

#include <algorithm>
#include <thread>

#include "blender/output_pattern.h"
#include "blender/output_validator.h"
#include "blender/render_options.h"
#include "cli/render/render_args.h"
#include "util/folder_check.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

util::Result<RenderPlan> make_render_plan(const RenderArgs& a, int workers) {
    RenderPlan plan;
    std::error_code ec;
    plan.scene = fs::absolute(a.scene_file, ec);
    if (auto st = util::check_readable_file(plan.scene, "scene file"); !st) return st.error();
    auto frames = core::FrameSet::parse(a.frames);
    if (!frames) {
        return util::make_error("bad --frames: " + frames.error().message,
                                util::ErrorKind::invalid);
    }
    plan.frames = *frames;
    auto pattern = blender::resolve_output_pattern(a.output, plan.scene, fs::current_path(ec));
    if (!pattern) return pattern.error();
    plan.pattern = *pattern;
    plan.output_dir = fs::path(plan.pattern).parent_path();
    if (auto st = util::ensure_writable_folder(plan.output_dir, "output folder"); !st) {
        return st.error();
    }
    if (a.chunk < 1) return util::make_error("--chunk must be 1 or more", util::ErrorKind::invalid);

    json job = {{"name", plan.scene.stem().string()},
                {"scene", plan.scene.string()},
                {"output", plan.pattern},
                {"frames", plan.frames.to_string()},
                {"chunk", a.chunk},
                {"priority", a.priority},
                {"device", a.device},
                {"allow_scripts", a.allow_scripts},
                {"strict", a.strict},
                {"stall_timeout_s", a.stall_timeout}};
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    job["threads"] = std::max(1, static_cast<int>(cores) / std::max(1, workers));
    if (!a.format.empty()) {
        auto format = blender::normalize_format(a.format);
        if (!format) return format.error();
        job["format"] = *format;
    }
    if (!a.engine.empty()) {
        auto engine = blender::normalize_engine(a.engine);
        if (!engine) return engine.error();
        job["engine"] = *engine;
    }
    if (auto device = blender::normalize_device(a.device); !device) return device.error();
    if (!a.resolution.empty()) {
        auto res = blender::parse_resolution(a.resolution);
        if (!res) return res.error();
        job["resolution_x"] = res->width;
        job["resolution_y"] = res->height;
    }
    if (!a.scene.empty()) job["scene_name"] = a.scene;
    if (a.samples > 0) job["samples"] = a.samples;
    if (a.percentage > 0) job["percentage"] = a.percentage;
    if (a.frame_timeout > 0) job["frame_timeout_s"] = a.frame_timeout;
    plan.job = job;
    return plan;
}

bool is_earlier_run(const json& job, const RenderPlan& plan) {
    return job.value("scene", "") == plan.scene.string() &&
           job.value("output", "") == plan.pattern &&
           job.value("frames", "") == plan.frames.to_string() &&
           job.value("status", "") != "canceled";
}

std::vector<int> frames_missing_on_disk(const RenderPlan& plan) {
    static const char* k_extensions[] = {".png", ".jpg", ".exr", ".tif", ".tiff", ".bmp", ".webp"};
    std::vector<int> missing;
    for (int frame : plan.frames.frames()) {
        bool ok = false;
        for (const char* ext : k_extensions) {
            fs::path path = blender::frame_path(plan.pattern, frame, ext);
            std::error_code ec;
            if (fs::exists(path, ec) && blender::validate_output(path)) {
                ok = true;
                break;
            }
        }
        if (!ok) missing.push_back(frame);
    }
    return missing;
}

}  // namespace spotfarm::cli
