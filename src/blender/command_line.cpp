#include "blender/command_line.h"

#include <algorithm>

namespace spotfarm::blender {

namespace {

// Options Blender reads before it loads the file; -noaudio spares headless machines a sound
// device probe.
std::vector<std::string> start(const BlenderLaunch& launch) {
    std::vector<std::string> args = {launch.blender.string(), "-b"};
    if (launch.factory_startup) args.push_back("--factory-startup");
    args.push_back("-noaudio");
    args.push_back(launch.allow_scripts ? "-y" : "-Y");
    args.push_back(launch.scene_file.string());
    return args;
}

void add_settings(std::vector<std::string>& args, const PlainSettings& s) {
    auto add = [&](const char* flag, const std::string& value) {
        if (value.empty()) return;
        args.push_back(flag);
        args.push_back(value);
    };
    add("-S", s.scene);
    add("-E", s.engine);
    add("-o", s.output_pattern);
    add("-F", s.format);
    if (!s.output_pattern.empty()) {
        args.push_back("-x");
        args.push_back("1");
    }
    if (s.threads > 0) add("-t", std::to_string(s.threads));
    add("--python-expr", s.python_expr);
}

}  // namespace

std::vector<std::string> session_command(const BlenderLaunch& launch,
                                         const std::filesystem::path& driver,
                                         const std::string& settings_json) {
    auto args = start(launch);
    args.insert(args.end(),
                {"--python-exit-code", "1", "--python", driver.string(), "--", settings_json});
    return args;
}

std::vector<std::string> frames_command(const BlenderLaunch& launch, const PlainSettings& settings,
                                        const std::vector<int>& frames) {
    auto args = start(launch);
    add_settings(args, settings);
    args.push_back("-f");
    args.push_back(blender_frame_list(frames));
    return args;
}

std::vector<std::string> range_command(const BlenderLaunch& launch, const PlainSettings& settings,
                                       int start_frame, int end_frame, int step) {
    auto args = start(launch);
    add_settings(args, settings);
    args.insert(args.end(), {"-s", std::to_string(start_frame), "-e", std::to_string(end_frame)});
    if (step != 1) args.insert(args.end(), {"-j", std::to_string(step)});
    args.push_back("-a");
    return args;
}

std::vector<std::string> version_command(const std::filesystem::path& blender) {
    return {blender.string(), "-b", "--factory-startup", "--version"};
}

std::vector<std::string> probe_command(const std::filesystem::path& blender,
                                       const std::filesystem::path& driver) {
    return {blender.string(),     "-b", "--factory-startup", "-noaudio",      "-Y",
            "--python-exit-code", "1",  "--python",          driver.string(), "--",
            R"({"probe": true})"};
}

std::string blender_frame_list(std::vector<int> frames) {
    std::sort(frames.begin(), frames.end());
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    std::string out;
    for (size_t i = 0; i < frames.size();) {
        size_t j = i;
        while (j + 1 < frames.size() && frames[j + 1] == frames[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(frames[i]);
        if (j > i) out += ".." + std::to_string(frames[j]);
        i = j + 1;
    }
    return out;
}

}  // namespace spotfarm::blender
