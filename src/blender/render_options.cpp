#include "blender/render_options.h"

#include <array>
#include <charconv>

#include "blender/output_pattern.h"
#include "util/ascii.h"

namespace spotfarm::blender {

namespace {

bool parse_side(std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out >= 1 && out <= 65536;
}

}  // namespace

util::Result<Resolution> parse_resolution(std::string_view text) {
    auto x = text.find_first_of("xX");
    Resolution r;
    if (x == std::string_view::npos || !parse_side(text.substr(0, x), r.width) ||
        !parse_side(text.substr(x + 1), r.height)) {
        return util::make_error("bad --resolution \"" + std::string(text) +
                                    "\": give WIDTHxHEIGHT in pixels, like 1920x1080",
                                util::ErrorKind::invalid);
    }
    return r;
}

util::Result<std::string> normalize_engine(std::string_view engine) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> k_engines{{
        {"CYCLES", "CYCLES"},
        {"EEVEE", "BLENDER_EEVEE"},
        {"BLENDER_EEVEE", "BLENDER_EEVEE"},
        {"BLENDER_EEVEE_NEXT", "BLENDER_EEVEE_NEXT"},
        {"WORKBENCH", "BLENDER_WORKBENCH"},
        {"BLENDER_WORKBENCH", "BLENDER_WORKBENCH"},
        {"EEVEE_NEXT", "BLENDER_EEVEE_NEXT"},
    }};
    std::string up = util::to_upper(engine);
    for (const auto& [name, blender_name] : k_engines) {
        if (up == name) return std::string(blender_name);
    }
    return util::make_error(
        "unknown --engine \"" + std::string(engine) + "\": use cycles, eevee or workbench",
        util::ErrorKind::invalid);
}

util::Result<std::string> normalize_device(std::string_view device) {
    std::string up = util::to_upper(device);
    if (up == "CPU" || up == "GPU" || up == "AUTO") {
        return util::to_lower(device);
    }
    for (std::string_view backend : {"OPTIX", "CUDA", "HIP", "ONEAPI", "METAL"}) {
        if (up == backend) return up;
    }
    return util::make_error("unknown --device \"" + std::string(device) +
                                "\": use cpu, gpu, auto, or a GPU backend: OPTIX, CUDA, HIP, "
                                "ONEAPI, METAL",
                            util::ErrorKind::invalid);
}

util::Result<std::string> normalize_format(std::string_view format) {
    std::string up = util::to_upper(format);
    if (up == "JPG") up = "JPEG";
    if (up == "EXR") up = "OPEN_EXR";
    if (up == "TIF") up = "TIFF";
    if (auto ext = extension_for_format(up); !ext) {
        return util::make_error("bad --format: " + ext.error().message, util::ErrorKind::invalid);
    }
    return up;
}

util::Result<std::string> resolve_output_pattern(std::string_view user_output,
                                                 const std::filesystem::path& scene_file,
                                                 const std::filesystem::path& cwd) {
    std::string path(user_output);
    if (path.starts_with("//")) {
        path = (scene_file.parent_path() / path.substr(2)).string();
    } else if (!path.empty() && path.front() != '/') {
        path = (cwd / path).string();
    }
    return normalize_output_pattern(path);
}

}  // namespace spotfarm::blender
