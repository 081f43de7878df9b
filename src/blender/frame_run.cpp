#include "blender/frame_run.h"

#include <algorithm>
#include <system_error>

#include "blender/output_pattern.h"
#include "blender/output_validator.h"
#include "util/exit_code.h"
#include "util/seconds.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

constexpr int k_exit_interrupted = 130;

// A frame to render, and whether a damaged file of the same name must be replaced.
struct Planned {
    int frame;
    fs::path output;
    bool replace;
};

}  // namespace

FrameRunResult run_frames(const FrameRunOptions& options, const FrameRunObserver& observer,
                          const util::Clock& clock) {
    auto started = clock.now();
    FrameRunResult result;
    result.header.scene_file = options.session.launch.scene_file.string();

    SessionCallbacks callbacks;
    callbacks.on_progress = observer.on_progress;
    callbacks.on_notice = observer.on_notice;
    callbacks.should_stop = observer.should_stop;
    Session session(options.session, callbacks, clock);

    auto finish = [&](int exit_code) -> FrameRunResult {
        session.stop();
        result.exit_code = exit_code;
        result.header.wall_seconds = util::seconds_between(started, clock.now());
        result.header.processes = session.processes_started();
        result.header.interrupted = exit_code == k_exit_interrupted;
        return std::move(result);
    };

    // The scene is loaded first: its format, size and frame range decide names and checks.
    auto info = session.start();
    if (!info) {
        result.fatal_error = info.error().message;
        return finish(util::exit_code(info.error().kind));
    }
    result.header.blender_version = info->blender_version;
    result.header.engine = info->engine;
    result.header.device = info->device_used;
    result.header.output_pattern = options.output_pattern + info->extension;

    core::FrameSet frames = options.frames.value_or(core::FrameSet{});
    if (!options.frames) {
        auto range = core::FrameSet::parse(std::to_string(info->frame_start) + "-" +
                                           std::to_string(info->frame_end));
        if (!range) {
            result.fatal_error =
                "the scene's frame range cannot be rendered: " + range.error().message +
                " (pass --frames)";
            return finish(2);
        }
        frames = *range;
    }

    std::vector<Planned> plan;
    for (int frame : frames.frames()) {
        fs::path output = frame_path(options.output_pattern, frame, info->extension);
        std::error_code ec;
        bool exists = fs::exists(output, ec);
        if (exists && !options.overwrite) {
            if (auto valid = validate_output(output, info->resolution); valid) {
                result.frames.push_back(FrameRecord{frame, FrameOutcome::skipped, output});
                continue;
            } else if (observer.on_notice) {
                observer.on_notice("frame " + std::to_string(frame) +
                                   " is on disk but not valid (" + valid.error().message +
                                   "): rendering it again");
            }
        }
        plan.push_back(Planned{frame, output, exists});
    }
    if (observer.on_plan) {
        std::vector<int> to_render;
        for (const Planned& p : plan) to_render.push_back(p.frame);
        observer.on_plan(*info, frames.size(), result.frames.size(), to_render);
    }

    std::size_t chunk =
        options.process_per_chunk ? std::max<std::size_t>(options.chunk, 1) : plan.size();
    int exit_code = 0;
    std::string broken;  // why Blender cannot run any more; the frames left fail with it
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const Planned& p = plan[i];
        if (options.process_per_chunk && i > 0 && i % chunk == 0) session.stop();
        FrameRecord record{p.frame, FrameOutcome::failed, p.output};
        if (!broken.empty()) {
            record.error = broken;
        } else {
            if (observer.on_frame_start) observer.on_frame_start(p.frame);
            FrameResult r = session.render(p.frame, p.output, options.overwrite || p.replace);
            record.render_seconds = r.render_seconds;
            record.wall_seconds = r.wall_seconds;
            record.error = r.error;
            if (r.ok) record.outcome = FrameOutcome::rendered;
            if (r.interrupted) {
                result.frames.push_back(record);
                if (observer.on_frame_done) observer.on_frame_done(record);
                exit_code = k_exit_interrupted;
                break;
            }
            if (r.session_broken) {
                broken = "not rendered: Blender could not be started again (" + r.error + ")";
            }
            if (r.disk_full) broken = "not rendered: " + r.error;
        }
        if (record.outcome == FrameOutcome::failed) exit_code = 1;
        result.frames.push_back(record);
        if (observer.on_frame_done) observer.on_frame_done(record);
    }
    std::sort(result.frames.begin(), result.frames.end(),
              [](const FrameRecord& a, const FrameRecord& b) { return a.frame < b.frame; });
    return finish(exit_code);
}

}  // namespace spotfarm::blender
