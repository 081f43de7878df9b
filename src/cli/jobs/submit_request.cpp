#include "cli/jobs/submit_request.h"

#include <tuple>

#include <nlohmann/json.hpp>

#include "blender/render_options.h"
#include "cli/common/commands.h"
#include "core/frame_set.h"
#include "core/job.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

util::Error usage(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

util::Status check_range(const std::optional<int>& value, std::string_view flag, int min, int max) {
    if (!value || (*value >= min && *value <= max)) return {};
    return usage(std::string(flag) + " " + std::to_string(*value) + " is out of range: give " +
                 std::to_string(min) + " to " + std::to_string(max));
}

util::Result<fs::path> absolute_scene(const std::string& scene, const fs::path& cwd) {
    if (scene.empty()) return usage("give the .blend file to render");
    fs::path path = (cwd / scene).lexically_normal();
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return usage("the scene " + path.string() + " does not exist");
    }
    if (!fs::is_regular_file(path, ec)) {
        return usage("the scene " + path.string() + " is not a file; give a .blend file");
    }
    return path;
}

util::Result<std::string> absolute_output(const std::string& output, const fs::path& scene,
                                          const fs::path& cwd) {
    if (output.empty()) return usage("give the output with -o, e.g. -o renders/shot_####");
    auto pattern = blender::resolve_output_pattern(output, scene, cwd);
    if (!pattern) return usage("-o " + output + ": " + pattern.error().message);
    return *pattern;
}

}  // namespace

util::Result<json> build_submit_body(const SubmitArgs& a, const fs::path& cwd) {
    auto frames = core::FrameSet::parse(a.frames);
    if (!frames) return usage("--frames '" + a.frames + "': " + frames.error().message);
    auto scene = absolute_scene(a.scene, cwd);
    if (!scene) return scene.error();
    auto output = absolute_output(a.output, *scene, cwd);
    if (!output) return output.error();

    json body = {{"scene", scene->string()}, {"output", *output}, {"frames", frames->to_string()}};
    for (auto status :
         {check_range(a.chunk, "--chunk", 1, 1'000'000),
          check_range(a.priority, "--priority", core::k_min_priority, core::k_max_priority),
          check_range(a.samples, "--samples", 1, 1 << 24),
          check_range(a.percentage, "--percentage", 1, 32767),
          check_range(a.threads, "--threads", 0, 1 << 16)}) {
        if (!status) return status.error();
    }
    if (a.frame_timeout_s.value_or(0) < 0 || a.stall_timeout_s.value_or(0) < 0) {
        return usage("--frame-timeout and --stall-timeout take seconds, 0 or more");
    }
    auto put = [&body](const char* key, const auto& value) {
        if (value) body[key] = *value;
    };
    put("chunk", a.chunk);
    put("priority", a.priority);
    put("samples", a.samples);
    put("percentage", a.percentage);
    put("threads", a.threads);
    put("frame_timeout_s", a.frame_timeout_s);
    put("stall_timeout_s", a.stall_timeout_s);
    if (!a.name.empty()) body["name"] = a.name;
    // Settings as Blender names them, so every worker reads them the same way.
    using Normalize = util::Result<std::string> (*)(std::string_view);
    for (auto [key, value, normalize] :
         {std::tuple{"format", &a.format, Normalize(&blender::normalize_format)},
          std::tuple{"engine", &a.engine, Normalize(&blender::normalize_engine)},
          std::tuple{"device", &a.device, Normalize(&blender::normalize_device)}}) {
        if (value->empty()) continue;
        auto normalized = normalize(*value);
        if (!normalized) return usage(normalized.error().message);
        body[key] = *normalized;
    }
    if (!a.resolution.empty()) {
        auto resolution = blender::parse_resolution(a.resolution);
        if (!resolution) return usage(resolution.error().message);
        body["resolution_x"] = resolution->width;
        body["resolution_y"] = resolution->height;
    }
    if (a.allow_scripts) body["allow_scripts"] = true;
    if (a.strict) body["strict"] = true;
    return body;
}

}  // namespace spotfarm::cli
