#include "cli/common/render_flags.h"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "blender/driver_protocol.h"
#include "blender/render_options.h"
#include "blender/watchdog.h"
#include "core/job.h"
#include "util/folder_check.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

// The bounds a worker's reader (protocol::from_json<JobSettings>) accepts.
constexpr int k_max_samples = 1 << 24;
constexpr int k_max_percentage = 32767;
constexpr int k_max_threads = 1 << 16;

constexpr const char* k_settings_group = "Render settings (unset: as saved in the scene)";

util::Error invalid_flag(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

util::Status check_range(const std::optional<int>& value, std::string_view flag, int min, int max) {
    if (!value || (*value >= min && *value <= max)) return {};
    return invalid_flag(
        fmt::format("{} {} is out of range: give {} to {}", flag, *value, min, max));
}

util::Status check_seconds(const std::optional<double>& value, std::string_view flag) {
    if (!value || (std::isfinite(*value) && *value >= 0)) return {};
    return invalid_flag(
        fmt::format("{} {} is not a number of seconds: give 0 or more", flag, *value));
}

// `text` under the name Blender and the workers take; the message of `normalize` names the flag.
util::Result<std::optional<std::string>> normalized(
    const std::optional<std::string>& text,
    util::Result<std::string> (*normalize)(std::string_view)) {
    if (!text) return std::optional<std::string>{};
    auto value = normalize(*text);
    if (!value) return invalid_flag(value.error().message);
    return std::optional<std::string>(std::move(value).value());
}

long long default_stall_seconds() {
    using std::chrono::duration_cast;
    return duration_cast<std::chrono::seconds>(blender::WatchdogLimits{}.no_progress).count();
}

void add_job_flags(CLI::App& cmd, RenderFlags& f, const RenderFlagSet& set) {
    if (set.frames != Need::absent) {
        auto* frames = cmd.add_option("--frames,-f", f.frames,
                                      set.frames == Need::required
                                          ? "Frames to render, e.g. 1-250, 1,5,10-20 or 1-100x5"
                                          : "Frames to render, e.g. 1-250 (default: the scene's "
                                            "range)")
                           ->type_name("SPEC");
        if (set.frames == Need::required) frames->required();
    }
    if (set.output != Need::absent) {
        auto* output =
            cmd.add_option("-o,--output", f.output,
                           "Output pattern or folder/, e.g. renders/shot_#### ('//': the "
                           ".blend's folder)")
                ->type_name("PATTERN");
        if (set.output == Need::required) output->required();
    }
    if (set.chunk) {
        cmd.add_option("--chunk", f.chunk,
                       fmt::format("Frames per task: a worker takes N at a time (default {})",
                                   core::JobSpec{}.chunk))
            ->type_name("N");
    }
    if (set.priority) {
        cmd.add_option("--priority", f.priority,
                       fmt::format("{} to {}, higher runs first (default {})", core::k_min_priority,
                                   core::k_max_priority, core::k_default_priority))
            ->type_name("P");
    }
    if (set.priority) {
        cmd.add_option("--preview", f.preview,
                       "on: the manager makes a preview video and contact sheet when the job "
                       "completes (default: on for an animation, off for one frame)")
            ->check(CLI::IsMember({"on", "off"}))
            ->type_name("on|off");
    }
    if (set.name) {
        cmd.add_option("--name", f.name, "The job's name (default: the scene's file name)")
            ->type_name("NAME");
    }
    if (set.blender) {
        cmd.add_option("--blender", f.blender,
                       "Blender to run (default: $SPOTFARM_BLENDER, then blender on PATH)")
            ->type_name("PATH");
    }
}

void add_setting_flags(CLI::App& group, RenderFlags& f, const RenderFlagSet& set) {
    if (set.picture) {
        group.add_option("-F,--format", f.format, "PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER, TIFF")
            ->type_name("FORMAT");
        group.add_option("-E,--engine", f.engine, "cycles, eevee or workbench")
            ->type_name("ENGINE");
        group.add_option("--resolution", f.resolution, "Image size, e.g. 1920x1080")
            ->type_name("WxH");
        group.add_option("--percentage", f.percentage, "Resolution scale in percent, for previews")
            ->type_name("PCT");
        group.add_option("--samples", f.samples, "Samples per pixel")->type_name("N");
    }
    if (set.scene_name) {
        group
            .add_option("-S,--scene", f.scene_name, "A scene in the file (default: its active one)")
            ->type_name("NAME");
    }
    if (set.device) {
        group
            .add_option("--device", f.device,
                        fmt::format("cpu, gpu, auto, or OPTIX, CUDA, HIP, ONEAPI, METAL "
                                    "(default: {})",
                                    blender::RenderSettings{}.device))
            ->type_name("DEVICE");
    }
    if (set.threads) {
        group.add_option("-t,--threads", f.threads, "CPU threads per Blender (default: all cores)")
            ->type_name("N");
    }
    if (set.timeouts) {
        group
            .add_option("--frame-timeout", f.frame_timeout_s,
                        "Fail a frame that renders longer than this (default: no limit)")
            ->type_name("SECONDS");
        group
            .add_option("--stall-timeout", f.stall_timeout_s,
                        fmt::format("Fail a frame when Blender prints nothing this long "
                                    "(default {}; 0: never)",
                                    default_stall_seconds()))
            ->type_name("SECONDS");
    }
    if (set.allow_scripts) {
        group.add_flag("--allow-scripts", f.allow_scripts,
                       "Let the scene run its own Python (off: scenes may be untrusted)");
    }
    if (set.strict) {
        group.add_flag("--strict", f.strict,
                       "Fail when the scene links to missing files (textures, libraries, ...)");
    }
}

// Format, engine, device, resolution and the numbers of `f` into `s`.
util::Status put_picture(const RenderFlags& f, core::JobSettings& s) {
    auto format = normalized(f.format, &blender::normalize_format);
    if (!format) return format.error();
    auto engine = normalized(f.engine, &blender::normalize_engine);
    if (!engine) return engine.error();
    auto device = normalized(f.device, &blender::normalize_device);
    if (!device) return device.error();
    s.format = *format;
    s.engine = *engine;
    s.device = *device;
    if (f.resolution) {
        auto resolution = blender::parse_resolution(*f.resolution);
        if (!resolution) return invalid_flag(resolution.error().message);
        s.resolution_x = resolution->width;
        s.resolution_y = resolution->height;
    }
    for (auto status : {check_range(f.samples, "--samples", 1, k_max_samples),
                        check_range(f.percentage, "--percentage", 1, k_max_percentage),
                        check_range(f.threads, "--threads", 0, k_max_threads)}) {
        if (!status) return status;
    }
    s.samples = f.samples;
    s.percentage = f.percentage;
    s.threads = f.threads;
    return {};
}

}  // namespace

void add_render_flags(CLI::App& command, RenderFlags& flags, const RenderFlagSet& set) {
    command.add_option("scene", flags.scene_file, "The .blend file to render")
        ->required()
        ->type_name("SCENE");
    add_job_flags(command, flags, set);
    add_setting_flags(*command.add_option_group(k_settings_group), flags, set);
}

util::Result<core::JobSettings> job_settings(const RenderFlags& f, const fs::path& cwd) {
    if (f.scene_file.empty()) return invalid_flag("give the .blend file to render");
    const fs::path scene = (cwd / f.scene_file).lexically_normal();
    if (auto ok = util::check_readable_file(scene, "scene file"); !ok) {
        return invalid_flag(ok.error().message);
    }
    core::JobSettings s;
    s.scene = scene.string();
    if (f.output) {
        auto pattern = blender::resolve_output_pattern(*f.output, scene, cwd);
        if (!pattern) return invalid_flag("-o " + *f.output + ": " + pattern.error().message);
        s.output = *pattern;
    }
    if (auto ok = put_picture(f, s); !ok) return ok.error();
    if (!f.scene_name.empty()) s.scene_name = f.scene_name;
    if (f.allow_scripts) s.allow_scripts = true;
    if (f.strict) s.strict = true;
    for (auto status :
         {check_seconds(f.frame_timeout_s, "--frame-timeout"),
          check_seconds(f.stall_timeout_s, "--stall-timeout"),
          check_range(f.chunk, "--chunk", 1, protocol::k_max_chunk),
          check_range(f.priority, "--priority", core::k_min_priority, core::k_max_priority)}) {
        if (!status) return status.error();
    }
    s.frame_timeout_s = f.frame_timeout_s;
    s.stall_timeout_s = f.stall_timeout_s;
    return s;
}

util::Result<std::optional<core::FrameSet>> job_frames(const RenderFlags& f) {
    if (!f.frames) return std::optional<core::FrameSet>{};
    auto frames = core::FrameSet::parse(*f.frames);
    if (!frames) {
        return invalid_flag(
            fmt::format("bad --frames '{}': {}", *f.frames, frames.error().message));
    }
    return std::optional<core::FrameSet>(std::move(frames).value());
}

util::Result<protocol::JobSubmission> job_submission(const RenderFlags& f, const fs::path& cwd) {
    auto frames = job_frames(f);
    if (!frames) return frames.error();
    if (!*frames)
        return invalid_flag("give the frames to render with --frames, e.g. --frames 1-250");
    auto settings = job_settings(f, cwd);
    if (!settings) return settings.error();
    if (!settings->output)
        return invalid_flag("give the output with -o, e.g. -o renders/shot_####");
    return protocol::JobSubmission{f.name, std::move(**frames), f.chunk, f.priority,
                                   std::move(settings).value()};
}

}  // namespace spotfarm::cli
