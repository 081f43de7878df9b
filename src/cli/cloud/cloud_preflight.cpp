#include "cli/cloud/cloud_preflight.h"

#include <charconv>

#include <fmt/format.h>

#include "util/ascii.h"

namespace spotfarm::cli {
namespace {

constexpr std::size_t k_missing_shown = 5;

bool at_least(const BlenderRelease& v, int major, int minor) {
    return v.major > major || (v.major == major && v.minor >= minor);
}

std::optional<int> number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

void check_version(const PreflightInput& in, const BlenderRelease& chosen,
                   std::vector<std::string>& problems) {
    if (!in.scene.opened_by(chosen.major, chosen.minor)) {
        problems.push_back(fmt::format(
            "the scene was saved by Blender {}, and Blender {} cannot open what a newer Blender "
            "saved: drop --blender-version (the workers then run {}) or give {} or later",
            in.scene.text(), chosen.text(), in.scene.text(), in.scene.text()));
    }
    if (!at_least(chosen, k_oldest_blender.major, k_oldest_blender.minor)) {
        problems.push_back(fmt::format(
            "Blender {} is older than the oldest the workers run ({}): open the scene in a newer "
            "Blender and save it, or give --blender-version {} or later",
            chosen.text(), k_oldest_blender.text(), k_oldest_blender.text()));
    }
}

void check_format(const PreflightInput& in, std::vector<std::string>& problems) {
    if (!in.format) return;
    const std::string format = util::to_upper(*in.format);
    if (format == "FFMPEG" || format.starts_with("AVI")) {
        problems.push_back("a farm renders every frame to its own image file, never to a movie (" +
                           format +
                           "): give --format PNG or OPEN_EXR and join the frames afterwards");
    }
}

void check_engine(const PreflightInput& in, const BlenderRelease& chosen, const std::string& gpu,
                  std::vector<std::string>& problems) {
    if (!in.engine) return;
    const std::string engine = util::to_upper(*in.engine);
    const bool eevee = engine.starts_with("BLENDER_EEVEE") || engine == "EEVEE";
    if (eevee && gpu.empty()) {
        problems.push_back("Eevee draws with the GPU, and " + in.instance_type +
                           " has none: choose a GPU instance type (--instance-type g4dn.xlarge) "
                           "or render with --engine CYCLES");
    }
    if (engine == "BLENDER_EEVEE_NEXT" && !(at_least(chosen, 4, 2) && !at_least(chosen, 5, 0))) {
        problems.push_back(
            "BLENDER_EEVEE_NEXT is the name of Eevee in Blender 4.2 to 4.5 only; "
            "Blender " +
            chosen.text() + " calls it BLENDER_EEVEE: give --engine BLENDER_EEVEE");
    }
}

// The device the job asks for, and problems with it.
std::string check_device(const PreflightInput& in, const BlenderRelease& chosen,
                         const std::string& gpu, std::vector<std::string>& problems) {
    if (!in.device) return "";
    const std::string device = util::to_upper(*in.device);
    if (device == "CPU" || device == "AUTO") return util::to_lower(device);
    if (device == "METAL") {
        problems.push_back(
            "METAL renders on Apple machines only, and EC2's Linux instances are "
            "not: give --device OPTIX or CUDA with a GPU instance type, or cpu");
        return device;
    }
    if (gpu.empty()) {
        problems.push_back("--device " + *in.device + " needs a GPU, and " + in.instance_type +
                           " has none: choose a GPU instance type (g4dn, g5, g6...) or --device "
                           "cpu");
        return device;
    }
    if (gpu == "nvidia") {
        if (device == "HIP" || device == "ONEAPI") {
            problems.push_back(in.instance_type + " has NVIDIA GPUs, which " + device +
                               " does not drive: give --device OPTIX or CUDA");
        }
        if (device == "GPU") return at_least(chosen, 2, 90) ? "OPTIX" : "CUDA";
        return device;
    }
    problems.push_back(in.instance_type + " has " + gpu +
                       " GPUs, which the official Blender Linux builds cannot render on there: "
                       "choose an NVIDIA type (g4dn, g5, g6...) or --device cpu");
    return device;
}

void check_files(const PreflightInput& in, std::vector<std::string>& problems) {
    if (in.allow_missing) return;
    std::vector<const blender::Dependency*> missing;
    for (const auto& dep : in.dependencies) {
        if (dep.missing) missing.push_back(&dep);
    }
    if (missing.empty()) return;
    std::string text = fmt::format(
        "{} file(s) the scene needs are missing here, so no instance "
        "could have them:",
        missing.size());
    for (std::size_t i = 0; i < missing.size() && i < k_missing_shown; ++i) {
        text += "\n    " + missing[i]->path.string() +
                (missing[i]->user.empty() ? "" : " (" + missing[i]->user + ")");
    }
    if (missing.size() > k_missing_shown) {
        text += fmt::format("\n    and {} more", missing.size() - k_missing_shown);
    }
    text +=
        "\n  find them (`spotfarm deps SCENE` lists all), or render without them with "
        "--allow-missing";
    problems.push_back(text);
}

}  // namespace

std::string BlenderRelease::text() const {
    return patch ? fmt::format("{}.{}.{}", major, minor, *patch)
                 : fmt::format("{}.{}", major, minor);
}

util::Result<BlenderRelease> parse_blender_release(std::string_view text) {
    auto bad = [&] {
        return util::make_error(fmt::format("'{}' is not a Blender version: give MAJOR.MINOR such "
                                            "as 4.2, or MAJOR.MINOR.PATCH such as 4.2.3",
                                            text),
                                util::ErrorKind::invalid);
    };
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = text.find('.', start);
        parts.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (parts.size() < 2 || parts.size() > 3) return bad();
    auto major = number(parts[0]);
    auto minor = number(parts[1]);
    if (!major || !minor || *major < 2 || *major > 99 || *minor > 99) return bad();
    BlenderRelease release{*major, *minor, std::nullopt};
    if (parts.size() == 3) {
        release.patch = number(parts[2]);
        if (!release.patch) return bad();
    }
    return release;
}

std::string instance_gpu_vendor(std::string_view instance_type) {
    std::string_view family = instance_type.substr(0, instance_type.find('.'));
    if (family == "g4ad") return "amd";
    static constexpr std::string_view k_nvidia[] = {"g3",  "g4dn", "g5",   "g5g", "g6",   "g6e",
                                                    "gr6", "p3",   "p3dn", "p4d", "p4de", "p5",
                                                    "p5e", "p5en", "g6f",  "gr6f"};
    for (auto name : k_nvidia) {
        if (family == name) return "nvidia";
    }
    return "";
}

util::Result<PreflightPlan> preflight(const PreflightInput& in) {
    std::vector<std::string> problems;
    PreflightPlan plan;
    plan.blender = in.requested.value_or(BlenderRelease{in.scene.major, in.scene.minor, {}});
    const std::string gpu = instance_gpu_vendor(in.instance_type);
    check_version(in, plan.blender, problems);
    check_format(in, problems);
    check_engine(in, plan.blender, gpu, problems);
    plan.device = check_device(in, plan.blender, gpu, problems);
    check_files(in, problems);
    if (problems.empty()) return plan;
    std::string message = problems.size() == 1
                              ? "nothing was launched: " + problems.front()
                              : fmt::format("nothing was launched; {} problems:", problems.size());
    if (problems.size() > 1) {
        for (const auto& p : problems) message += "\n  - " + p;
    }
    return util::make_error(message, util::ErrorKind::invalid);
}

}  // namespace spotfarm::cli
