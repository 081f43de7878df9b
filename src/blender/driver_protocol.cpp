#include "blender/driver_protocol.h"

#include <nlohmann/json.hpp>

#include "blender/output_pattern.h"

namespace spotfarm::blender {

using nlohmann::json;

namespace {

util::Result<json> parse_object(const std::string& line) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return util::make_error("the Blender driver sent a line that is not a JSON object: " +
                                line.substr(0, 200));
    }
    return j;
}

std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array()) {
        for (const auto& s : j[key]) out.push_back(s.is_string() ? s.get<std::string>() : s.dump());
    }
    return out;
}

// Runs `read`, whose json::value and get calls throw on a field of the wrong type ("ok": 1),
// and turns that into an error: a reply that cannot be read must fail the frame or the start,
// never end the worker.
template <class T, class Read>
util::Result<T> reading(const std::string& line, Read read) {
    try {
        return read();
    } catch (const json::exception& e) {
        return util::make_error("the Blender driver sent a reply with a field of the wrong type (" +
                                std::string(e.what()) + "): " + line.substr(0, 200));
    }
}

// The "ready" reply's fields; json calls in it may throw (see reading).
util::Result<SessionInfo> read_ready_reply(const std::string& line, const json* j) {
    if (!j->value("ready", false)) {
        return util::make_error("the Blender driver did not start properly: " +
                                line.substr(0, 200));
    }
    if (!j->value("ok", false))
        return util::make_error(j->value("error", "unknown error"), util::ErrorKind::invalid);
    SessionInfo info;
    info.blender_version = j->value("blender_version", "");
    info.scene = j->value("scene", "");
    info.engine = j->value("engine", "");
    info.format = j->value("format", "");
    info.frame_start = j->value("frame_start", 0);
    info.frame_end = j->value("frame_end", 0);
    info.device_used = j->value("device_used", "");
    info.peak_memory_mb = j->value("peak_memory_mb", 0.0);
    info.warnings = strings(*j, "warnings");
    if (j->contains("resolution") && (*j)["resolution"].is_array() &&
        (*j)["resolution"].size() == 2) {
        info.resolution =
            ImageSize{(*j)["resolution"][0].get<int>(), (*j)["resolution"][1].get<int>()};
    }
    for (const auto& m : j->value("missing_files", json::array())) {
        info.missing_files.push_back(
            MissingFile{m.value("kind", ""), m.value("name", ""), m.value("path", "")});
    }
    auto extension = extension_for_format(info.format);
    if (!extension) {
        return util::make_error("the scene is set to write " + info.format +
                                    ", which spotfarm cannot check frame by frame: " +
                                    extension.error().message + " (pass --format PNG, for one)",
                                util::ErrorKind::invalid);
    }
    info.extension = *extension;
    return info;
}

}  // namespace

std::string driver_settings_json(const RenderSettings& s, bool scripts, int request_fd,
                                 int reply_fd, const std::filesystem::path& path_remap_file) {
    json j = {{"request_fd", request_fd}, {"reply_fd", reply_fd}, {"device", s.device}};
    if (scripts) j["scripts"] = true;
    if (!s.scene.empty()) j["scene"] = s.scene;
    if (!s.engine.empty()) j["engine"] = s.engine;
    if (!s.format.empty()) j["format"] = s.format;
    if (s.samples > 0) j["samples"] = s.samples;
    if (s.width > 0 && s.height > 0) j["resolution"] = {s.width, s.height};
    if (s.percentage > 0) j["percentage"] = s.percentage;
    if (s.threads > 0) j["threads"] = s.threads;
    if (s.persistent_data) j["persistent_data"] = true;
    if (!path_remap_file.empty()) j["path_remap_file"] = path_remap_file.string();
    return j.dump();
}

util::Result<SessionInfo> parse_ready_reply(const std::string& line) {
    auto j = parse_object(line);
    if (!j) return j.error();
    return reading<SessionInfo>(line, [&] { return read_ready_reply(line, &*j); });
}

util::Result<RenderReply> parse_render_reply(const std::string& line) {
    auto j = parse_object(line);
    if (!j) return j.error();
    return reading<RenderReply>(line, [&]() -> util::Result<RenderReply> {
        RenderReply r;
        r.ok = j->value("ok", false);
        r.frame = j->value("frame", 0);
        r.output = j->value("output", "");
        r.error = j->value("error", "");
        r.render_seconds = j->value("render_seconds", 0.0);
        r.peak_memory_mb = j->value("peak_memory_mb", 0.0);
        r.warnings = strings(*j, "warnings");
        return r;
    });
}

std::string render_request(int frame, const std::filesystem::path& output) {
    return json{{"cmd", "render"}, {"frame", frame}, {"output", output.string()}}.dump() + "\n";
}

std::string quit_request() {
    return json{{"cmd", "quit"}}.dump() + "\n";
}

std::string dependencies_request() {
    return json{{"cmd", "dependencies"}}.dump() + "\n";
}

std::string describe(const MissingFile& file) {
    return file.kind + " '" + file.name + "' -> " + file.path;
}

}  // namespace spotfarm::blender
