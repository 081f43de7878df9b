#include "blender/scene_output.h"

#include <nlohmann/json.hpp>

#include "blender/driver_script.h"
#include "util/subprocess.h"

namespace spotfarm::blender {
namespace {

using nlohmann::json;

constexpr std::string_view k_tag = "SPOTFARM_SCENE_OUTPUT ";

core::VideoOutput read_video(const json& v) {
    core::VideoOutput video;
    video.container = v.value("container", "");
    video.codec = v.value("codec", "");
    video.quality = v.value("quality", "");
    video.speed = v.value("speed", "");
    video.bitrate_kbps = v.value("bitrate_kbps", 0);
    video.gop = v.value("gop", 0);
    video.fps = v.value("fps", 24);
    video.fps_base = v.value("fps_base", 1.0);
    video.audio_codec = v.value("audio_codec", "");
    video.color_mode = v.value("color_mode", "");
    return video;
}

}  // namespace

util::Result<SceneOutput> parse_scene_output(const std::string& output) {
    const auto at = output.rfind(k_tag);
    if (at == std::string::npos) {
        return util::make_error("Blender did not say what the scene writes; its last words: " +
                                output.substr(output.size() > 600 ? output.size() - 600 : 0));
    }
    const auto end = output.find('\n', at);
    const std::string line = output.substr(
        at + k_tag.size(), end == std::string::npos ? std::string::npos : end - at - k_tag.size());
    json j = json::parse(line, nullptr, false);
    if (!j.is_object()) return util::make_error("the driver's scene output is not JSON: " + line);
    try {
        if (!j.value("ok", false)) {
            return util::make_error(j.value("error", "the scene cannot be set up"),
                                    util::ErrorKind::invalid);
        }
        SceneOutput out;
        out.format = j.value("format", "");
        if (j.contains("video") && j["video"].is_object()) out.video = read_video(j["video"]);
        out.fps = j.value("fps", 24);
        out.fps_base = j.value("fps_base", 1.0);
        out.notes = j.value("warnings", std::vector<std::string>{});
        return out;
    } catch (const json::exception& e) {
        return util::make_error(std::string("the driver's scene output has a field of the wrong "
                                            "type: ") +
                                e.what());
    }
}

util::Result<SceneOutput> read_scene_output(const BlenderLaunch& launch, const std::string& scene,
                                            const std::string& engine, const std::string& format,
                                            std::chrono::milliseconds timeout) {
    auto driver = DriverScript::write();
    if (!driver) return driver.error();
    json settings = {{"scene_output", true}};
    if (!scene.empty()) settings["scene"] = scene;
    if (!engine.empty()) settings["engine"] = engine;
    if (!format.empty()) settings["format"] = format;
    auto run = util::run_capture(session_command(launch, driver->path(), settings.dump()), timeout);
    if (!run) return util::make_error(run.error().message, util::ErrorKind::unavailable);
    return parse_scene_output(run->output);
}

}  // namespace spotfarm::blender
