#include "media/ffmpeg_options.h"

#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

namespace spotfarm::media {
namespace {

// Blender's own tables (source/blender/imbuf/movie): the first extension of each container.
const std::map<std::string, Container>& containers() {
    static const std::map<std::string, Container> table = {
        {"MPEG1", {"mpeg", ".mpg"}}, {"MPEG2", {"dvd", ".dvd"}},     {"MPEG4", {"mp4", ".mp4"}},
        {"AVI", {"avi", ".avi"}},    {"QUICKTIME", {"mov", ".mov"}}, {"DV", {"dv", ".dv"}},
        {"OGG", {"ogg", ".ogv"}},    {"MKV", {"matroska", ".mkv"}},  {"FLASH", {"flv", ".flv"}},
        {"WEBM", {"webm", ".webm"}},
    };
    return table;
}

const std::map<std::string, std::string>& encoders() {
    static const std::map<std::string, std::string> table = {
        {"H264", "libx264"},     {"H265", "libx265"},     {"WEBM", "libvpx-vp9"},
        {"AV1", "libaom-av1"},   {"MPEG1", "mpeg1video"}, {"MPEG2", "mpeg2video"},
        {"MPEG4", "mpeg4"},      {"DV", "dvvideo"},       {"FFV1", "ffv1"},
        {"FLASH", "flv"},        {"HUFFYUV", "huffyuv"},  {"PNG", "png"},
        {"QTRLE", "qtrle"},      {"THEORA", "libtheora"}, {"DNXHD", "dnxhd"},
        {"PRORES", "prores_ks"},
    };
    return table;
}

template <class Table>
std::string names(const Table& table) {
    std::string out;
    for (const auto& [name, value] : table) out += (out.empty() ? "" : ", ") + name;
    return out;
}

bool has_crf(const std::string& codec) {
    return codec == "H264" || codec == "H265" || codec == "WEBM" || codec == "AV1";
}

// Codecs that store only 4:2:0 YUV in what players read; Blender writes them so too.
bool yuv420(const std::string& codec) {
    return has_crf(codec) || codec == "MPEG1" || codec == "MPEG2" || codec == "MPEG4" ||
           codec == "FLASH" || codec == "THEORA";
}

}  // namespace

util::Result<Container> container_for(const std::string& blender_format) {
    auto it = containers().find(blender_format);
    if (it == containers().end()) {
        return util::make_error("the scene's video container '" + blender_format +
                                    "' is not one Blender writes (" + names(containers()) + ")",
                                util::ErrorKind::invalid);
    }
    return it->second;
}

util::Result<std::string> encoder_for(const std::string& blender_codec) {
    auto it = encoders().find(blender_codec);
    if (it == encoders().end()) {
        return util::make_error("the scene's video codec '" + blender_codec +
                                    "' is not one spotfarm encodes (" + names(encoders()) + ")",
                                util::ErrorKind::invalid);
    }
    return it->second;
}

int crf_for(const std::string& q) {
    static const std::map<std::string, int> table = {
        {"LOSSLESS", 0}, {"PERC_LOSSLESS", 17}, {"HIGH", 20},   {"MEDIUM", 23},
        {"LOW", 26},     {"VERYLOW", 29},       {"LOWEST", 32},
    };
    auto it = table.find(q);
    return it == table.end() ? -1 : it->second;
}

std::string x264_preset_for(const std::string& speed) {
    if (speed == "BEST") return "slower";
    if (speed == "GOOD") return "medium";
    if (speed == "REALTIME") return "superfast";
    return "";
}

std::string frame_rate_text(int fps, double fps_base) {
    // fps_base is a float in the scene (1.001 for NTSC rates): scale it to a whole number.
    for (long long scale : {1LL, 1000LL, 1000000LL}) {
        const double base = fps_base * static_cast<double>(scale);
        if (std::abs(base - std::round(base)) < 1e-6 && std::round(base) >= 1) {
            long long num = static_cast<long long>(fps) * scale;
            long long den = std::llround(base);
            const long long g = std::gcd(num, den);
            return fmt::format("{}/{}", num / g, den / g);
        }
    }
    return fmt::format("{}/{}", std::llround(fps * 1000000.0 / fps_base), 1000000);
}

util::Result<std::vector<std::string>> output_options(const core::VideoOutput& v) {
    auto container = container_for(v.container);
    if (!container) return container.error();
    auto encoder = encoder_for(v.codec);
    if (!encoder) return encoder.error();
    std::vector<std::string> args = {"-c:v", *encoder};
    const int crf = has_crf(v.codec) ? crf_for(v.quality) : -1;
    if (crf >= 0) {
        if (v.codec == "WEBM" || v.codec == "AV1") {
            // Blender's VP9/AV1 CRF is a quality target with no bitrate cap; lossless is a switch.
            if (crf == 0) {
                args.insert(args.end(), {"-lossless", "1"});
            } else {
                args.insert(args.end(), {"-crf", std::to_string(crf), "-b:v", "0"});
            }
        } else if (v.codec == "H265" && crf == 0) {
            args.insert(args.end(), {"-x265-params", "lossless=1"});
        } else {
            args.insert(args.end(), {"-crf", std::to_string(crf)});
        }
    } else if (v.bitrate_kbps > 0) {
        args.insert(args.end(), {"-b:v", std::to_string(v.bitrate_kbps) + "k"});
    }
    if (v.codec == "H264" || v.codec == "H265") {
        const std::string preset = x264_preset_for(v.speed);
        if (!preset.empty()) args.insert(args.end(), {"-preset", preset});
    } else if (v.codec == "WEBM" || v.codec == "AV1") {
        const std::string deadline = v.speed == "BEST"       ? "best"
                                     : v.speed == "REALTIME" ? "realtime"
                                                             : "good";
        if (v.codec == "WEBM") args.insert(args.end(), {"-deadline", deadline});
    }
    if (v.gop > 0) args.insert(args.end(), {"-g", std::to_string(v.gop)});
    if (yuv420(v.codec)) {
        const bool alpha = v.color_mode == "RGBA" && v.codec == "WEBM";
        args.insert(args.end(), {"-pix_fmt", alpha ? "yuva420p" : "yuv420p"});
    } else if (v.codec == "PNG" || v.codec == "QTRLE" || v.codec == "FFV1") {
        args.insert(args.end(), {"-pix_fmt", v.color_mode == "RGBA" ? "rgba" : "rgb24"});
    } else if (v.codec == "DNXHD" || v.codec == "PRORES") {
        args.insert(args.end(), {"-pix_fmt", "yuv422p10le"});
    }
    // The farm renders frames, not sound: the video has no audio track.
    args.insert(args.end(), {"-an", "-f", container->muxer});
    return args;
}

}  // namespace spotfarm::media
