#pragma once
// What the benchmarks that render the demo scene share: their options and the plain Blender
// settings that make a plain `blender -b` run render what spotfarm renders.

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include <fmt/format.h>

#include "blender/command_line.h"

namespace spotfarm::bench {

struct DemoArgs {
    std::string scene;  // defaults to $SPOTFARM_DEMO_SCENE, then the build's demo/demo.blend
    std::string frames = "1-24";
    int percentage = 25;
    std::string blender;
};

// Reads --scene, --frames, --percentage and --blender; `extra(name, value)` takes the others
// and returns false for an unknown one. Returns an error for people, empty when all is well.
inline std::string parse_demo_args(
    int argc, char** argv, DemoArgs& args,
    const std::function<bool(const std::string&, const std::string&)>& extra = {}) {
    const char* env_scene = std::getenv("SPOTFARM_DEMO_SCENE");
    args.scene = env_scene ? env_scene : SPOTFARM_BUILD_DIR "/demo/demo.blend";
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) return "missing value after " + a;
        std::string v = argv[++i];
        if (a == "--scene") {
            args.scene = v;
        } else if (a == "--frames") {
            args.frames = v;
        } else if (a == "--percentage") {
            args.percentage = std::atoi(v.c_str());
        } else if (a == "--blender") {
            args.blender = v;
        } else if (!extra || !extra(a, v)) {
            return "unknown option " + a;
        }
    }
    return {};
}

// PNG frames under `out`, at the resolution percentage, on the CPU, with `threads` (0: all).
inline blender::PlainSettings demo_plain_settings(const DemoArgs& args,
                                                  const std::filesystem::path& out,
                                                  int threads = 0) {
    blender::PlainSettings s;
    s.output_pattern = (out / "frame_####").string();
    s.format = "PNG";
    s.threads = threads;
    s.python_expr = fmt::format(
        "import bpy; s = bpy.context.scene; s.render.resolution_percentage = {}; "
        "s.cycles.device = 'CPU'",
        args.percentage);
    return s;
}

}  // namespace spotfarm::bench
