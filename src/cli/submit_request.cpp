#include "cli/submit_request.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

#include "blender/output_pattern.h"
#include "cli/commands.h"
#include "core/frame_set.h"
#include "core/job.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Names a worker's Blender driver takes; anything else would fail on every worker.
constexpr std::array<std::string_view, 3> k_device_words = {"cpu", "gpu", "auto"};
constexpr std::array<std::string_view, 5> k_gpu_backends = {"OPTIX", "CUDA", "HIP", "ONEAPI",
                                                            "METAL"};
constexpr std::array<std::string_view, 7> k_engines = {
    "cycles",           "eevee", "workbench", "CYCLES", "BLENDER_EEVEE", "BLENDER_EEVEE_NEXT",
    "BLENDER_WORKBENCH"};

util::Error usage(std::string message) {
    return util::make_error(std::move(message), k_exit_usage);
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& names) {
    std::string out;
    for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

template <std::size_t N>
bool has(const std::array<std::string_view, N>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

util::Result<std::string> check_device(const std::string& device) {
    if (has(k_device_words, lower(device))) return lower(device);
    if (has(k_gpu_backends, upper(device))) return upper(device);
    return usage("--device '" + device + "' is not a device: give " + joined(k_device_words) +
                 ", or a GPU backend: " + joined(k_gpu_backends));
}

util::Result<std::string> check_engine(const std::string& engine) {
    if (has(k_engines, lower(engine))) return lower(engine);
    if (has(k_engines, upper(engine))) return upper(engine);
    return usage("--engine '" + engine + "' is not a render engine: give " + joined(k_engines));
}

util::Result<std::pair<int, int>> parse_resolution(std::string_view text) {
    auto x = text.find_first_of("xX");
    int width = 0;
    int height = 0;
    auto read = [](std::string_view part, int& out) {
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc() && end == part.data() + part.size() && out >= 1 && out <= 65536;
    };
    if (x == std::string_view::npos || !read(text.substr(0, x), width) ||
        !read(text.substr(x + 1), height)) {
        return usage("--resolution '" + std::string(text) +
                     "' is not WIDTHxHEIGHT with sides from 1 to 65536, e.g. 1920x1080");
    }
    return std::pair{width, height};
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
    // Blender's "//" is the .blend's folder; the workers get a plain absolute path.
    std::string path = output.starts_with("//") ? (scene.parent_path() / output.substr(2)).string()
                                                : (cwd / output).string();
    auto pattern = blender::normalize_output_pattern(path);
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
    if (!a.format.empty()) {
        if (auto ok = blender::extension_for_format(a.format); !ok) {
            return usage("--format: " + ok.error().message);
        }
        body["format"] = upper(a.format);
    }
    if (!a.engine.empty()) {
        auto engine = check_engine(a.engine);
        if (!engine) return engine.error();
        body["engine"] = *engine;
    }
    if (!a.device.empty()) {
        auto device = check_device(a.device);
        if (!device) return device.error();
        body["device"] = *device;
    }
    if (!a.resolution.empty()) {
        auto resolution = parse_resolution(a.resolution);
        if (!resolution) return resolution.error();
        body["resolution_x"] = resolution->first;
        body["resolution_y"] = resolution->second;
    }
    if (a.allow_scripts) body["allow_scripts"] = true;
    if (a.strict) body["strict"] = true;
    return body;
}

}  // namespace spotfarm::cli
