#pragma once
// Blender command lines. Blender acts on its arguments in the order given, so the order is fixed
// here once: start-up options, the .blend, scene settings, output, Python, then -f/-a, then "--".

#include <filesystem>
#include <string>
#include <vector>

namespace spotfarm::blender {

// What every way of starting Blender shares.
struct BlenderLaunch {
    std::filesystem::path blender;
    std::filesystem::path scene_file;
    bool allow_scripts = false;   // -y: let the .blend run its Python (untrusted scenes: no)
    bool factory_startup = true;  // ignore the user's preferences and add-ons, for reproducibility
};

// Scene settings for the plain ways (no driver): each is left out when empty or 0.
struct PlainSettings {
    std::string scene;           // -S
    std::string engine;          // -E
    std::string output_pattern;  // -o, Blender's pattern ("/out/frame_####")
    std::string format;          // -F
    int threads = 0;             // -t
    std::string python_expr;     // --python-expr, run after the file loads and before rendering
                                 // (settings Blender has no flag for, e.g. the resolution)
};

// `blender -b ... SCENE --python-exit-code 1 --python DRIVER -- SETTINGS_JSON`: a session.
std::vector<std::string> session_command(const BlenderLaunch& launch,
                                         const std::filesystem::path& driver,
                                         const std::string& settings_json);

// `blender -b ... SCENE -o ... -f 1,3,5..10`: the given frames, one process (the classic chunk).
std::vector<std::string> frames_command(const BlenderLaunch& launch, const PlainSettings& settings,
                                        const std::vector<int>& frames);

// `blender -b ... SCENE -o ... -s START -e END -j STEP -a`: a range the manual way.
std::vector<std::string> range_command(const BlenderLaunch& launch, const PlainSettings& settings,
                                       int start, int end, int step = 1);

// `blender -b --factory-startup --version`.
std::vector<std::string> version_command(const std::filesystem::path& blender);

// The driver in probe mode, with no scene: engines and GPU backends.
std::vector<std::string> probe_command(const std::filesystem::path& blender,
                                       const std::filesystem::path& driver);

// Frames in Blender's -f syntax: sorted, runs joined as "a..b", e.g. "1,3,5..10".
std::string blender_frame_list(std::vector<int> frames);

}  // namespace spotfarm::blender
