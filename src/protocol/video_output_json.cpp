#include "protocol/video_output_json.h"

#include <nlohmann/json.hpp>

#include "util/json_fields.h"

namespace spotfarm::protocol {

using nlohmann::json;

json to_json(const core::VideoOutput& v) {
    return {{"container", v.container},
            {"codec", v.codec},
            {"quality", v.quality},
            {"speed", v.speed},
            {"bitrate_kbps", v.bitrate_kbps},
            {"gop", v.gop},
            {"fps", v.fps},
            {"fps_base", v.fps_base},
            {"audio_codec", v.audio_codec},
            {"color_mode", v.color_mode}};
}

util::Result<core::VideoOutput> parse_video_output(const json& j, const std::string& where) {
    core::VideoOutput v;
    util::JsonFields f(j, where);
    f.required("container", v.container)
        .required("codec", v.codec)
        .defaulted("quality", v.quality)
        .defaulted("speed", v.speed)
        .defaulted("bitrate_kbps", v.bitrate_kbps)
        .defaulted("gop", v.gop)
        .required("fps", v.fps)
        .defaulted("fps_base", v.fps_base)
        .defaulted("audio_codec", v.audio_codec)
        .defaulted("color_mode", v.color_mode);
    f.check(v.fps >= 1 && v.fps <= 1000, "fps", "must be 1 to 1000")
        .check(v.fps_base > 0.0001 && v.fps_base <= 1000, "fps_base", "must be above 0")
        .check(v.bitrate_kbps >= 0, "bitrate_kbps", "must not be negative")
        .check(v.gop >= 0, "gop", "must not be negative");
    if (!f.ok()) return f.status().error();
    return v;
}

json to_json(const core::JobMedia& m) {
    json j = json::object();
    if (m.video) j["video"] = to_json(*m.video);
    if (m.preview) j["preview"] = *m.preview;
    if (m.fps) j["fps"] = *m.fps;
    if (m.fps_base) j["fps_base"] = *m.fps_base;
    return j;
}

util::Result<core::JobMedia> parse_job_media(const json& j, const std::string& where) {
    core::JobMedia m;
    if (!j.is_object()) return util::make_error(where + " must be an object");
    util::JsonFields f(j, where);
    f.optional_with("video", m.video,
                    [](const json& video,
                       const std::string& at) -> util::Result<std::optional<core::VideoOutput>> {
                        auto parsed = parse_video_output(video, at);
                        if (!parsed) return parsed.error();
                        return std::optional<core::VideoOutput>(std::move(parsed).value());
                    })
        .optional("preview", m.preview)
        .optional("fps", m.fps)
        .optional("fps_base", m.fps_base);
    f.check(!m.fps || (*m.fps >= 1 && *m.fps <= 1000), "fps", "must be 1 to 1000")
        .check(!m.fps_base || (*m.fps_base > 0.0001 && *m.fps_base <= 1000), "fps_base",
               "must be above 0");
    if (!f.ok()) return f.status().error();
    return m;
}

}  // namespace spotfarm::protocol
