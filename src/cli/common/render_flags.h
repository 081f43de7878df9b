#pragma once
// One vocabulary for the render flags of exec, render, submit and estimate: each flag has one
// name (older spellings stay as aliases), one help text and one default, declared here, and one
// check (job_settings) that turns what was typed into the settings a worker renders with.

#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/frame_set.h"
#include "core/job_settings.h"
#include "protocol/job_submission.h"
#include "util/result.h"

namespace spotfarm::cli {

// The flags as typed. Unset means "not given": as the scene says, or the default the worker
// (or the manager) applies, which the help text states. A flag given empty is checked like any
// other value (and refused where empty is no value).
struct RenderFlags {
    std::string scene_file;                 // the .blend, as typed (relative to the current folder)
    std::optional<std::string> frames;      // --frames; none: the scene's own range
    std::optional<std::string> output;      // -o, a Blender '#' pattern or a folder/
    std::optional<std::string> format;      // -F: PNG, JPEG, OPEN_EXR, ... or png, jpg, exr, tif
    std::optional<std::string> engine;      // -E: cycles, eevee, workbench or Blender's names
    std::optional<std::string> resolution;  // "1920x1080"
    std::optional<int> percentage;
    std::optional<int> samples;
    std::optional<std::string> device;  // cpu, gpu, auto or a backend; none: auto
    std::string scene_name;             // -S: a scene in the file; empty: its active scene
    std::optional<int> threads;
    bool allow_scripts = false;
    bool strict = false;
    std::optional<double> frame_timeout_s;
    std::optional<double> stall_timeout_s;
    std::optional<int> chunk;
    std::optional<int> priority;
    std::string name;
    std::optional<std::string> preview;  // --preview on|off; none: on for more than one frame
    std::string blender;  // the Blender to run here; empty: $SPOTFARM_BLENDER, then PATH
};

// Whether a command has a flag, and whether it must be given.
enum class Need { absent, optional, required };

// The flags one command has. Every group is there unless the command leaves it out, e.g.
// `{.frames = Need::optional, .chunk = false, .priority = false, .name = false}` for exec.
struct RenderFlagSet {
    Need frames = Need::required;  // --frames,-f
    Need output = Need::required;  // -o,--output
    bool picture = true;           // -F,--format -E,--engine --resolution --percentage --samples
    bool device = true;            // --device
    bool scene_name = true;        // -S,--scene
    bool threads = true;           // -t,--threads
    bool strict = true;            // --strict
    bool allow_scripts = true;     // --allow-scripts
    bool timeouts = true;          // --frame-timeout --stall-timeout
    bool chunk = true;             // --chunk
    bool priority = true;          // --priority and --preview (a job's, not a run's)
    bool name = true;              // --name
    bool blender = true;           // --blender
};

// Declares the positional .blend and the flags of `set` on `command`, writing into `flags`
// (which must outlive the parse). Render settings go into a "Render settings" group of the help.
void add_render_flags(CLI::App& command, RenderFlags& flags, const RenderFlagSet& set = {});

// Checks every flag but --frames and turns them into a job's settings: the scene as an absolute
// path that must be a readable file, the output as an absolute Blender pattern ("//" is the
// .blend's folder, other relative paths are taken from `cwd`), format, engine and device under
// the names Blender and the workers take, the resolution split, numbers and timeouts within
// their ranges, and --chunk and --priority too (they are not settings, but are checked here
// once). Unset flags stay unset. Every error is of kind invalid and names the flag.
util::Result<core::JobSettings> job_settings(const RenderFlags& flags,
                                             const std::filesystem::path& cwd);

// --frames checked; none when it was not given (the scene's own range). Errors as above.
util::Result<std::optional<core::FrameSet>> job_frames(const RenderFlags& flags);

// The job as POST /jobs takes it: job_frames (which must be given), job_settings, --chunk,
// --priority and --name. Errors as above.
util::Result<protocol::JobSubmission> job_submission(const RenderFlags& flags,
                                                     const std::filesystem::path& cwd);

}  // namespace spotfarm::cli
