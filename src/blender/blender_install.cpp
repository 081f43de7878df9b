#include "blender/blender_install.h"

#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <system_error>

#include <nlohmann/json.hpp>

#include "blender/command_line.h"
#include "blender/driver_script.h"
#include "util/subprocess.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_install_hint =
    "install it (apt install blender) or pass --blender PATH or set SPOTFARM_BLENDER";

bool is_executable_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

util::Result<fs::path> check_given(const std::string& path, const std::string& origin) {
    if (is_executable_file(path)) return fs::path(path);
    std::error_code ec;
    std::string why = !fs::exists(path, ec)        ? "no such file"
                      : fs::is_directory(path, ec) ? "it is a folder"
                                                   : "not executable";
    return util::make_error(
        "Blender not found at " + path + " (" + origin + "): " + why + "; " + k_install_hint,
        util::ErrorKind::unavailable);
}

// The JSON of the last "SPOTFARM_PROBE {...}" line, or "" when Blender printed none.
std::string probe_line(std::string_view output) {
    constexpr std::string_view k_tag = "SPOTFARM_PROBE ";
    auto at = output.rfind(k_tag);
    if (at == std::string_view::npos) return {};
    auto end = output.find('\n', at);
    return std::string(output.substr(at + k_tag.size(), end == std::string_view::npos
                                                            ? std::string_view::npos
                                                            : end - at - k_tag.size()));
}

// The last few lines of a failed command's output, to show the person why.
std::string tail(std::string_view output, size_t lines = 6) {
    size_t pos = output.size();
    while (pos > 0 && output[pos - 1] == '\n') --pos;
    size_t start = pos;
    for (size_t n = 0; n < lines && start > 0; ++n) {
        start = output.rfind('\n', start - 1);
        if (start == std::string_view::npos) {
            start = 0;
            break;
        }
    }
    return std::string(output.substr(start, pos - start));
}

}  // namespace

BlenderSearch blender_search_from_env(std::string explicit_path) {
    const char* env = std::getenv("SPOTFARM_BLENDER");
    const char* path = std::getenv("PATH");
    return BlenderSearch{std::move(explicit_path), env ? env : "", path ? path : ""};
}

util::Result<fs::path> find_blender(const BlenderSearch& search) {
    if (!search.explicit_path.empty()) return check_given(search.explicit_path, "--blender");
    if (!search.env_value.empty()) return check_given(search.env_value, "SPOTFARM_BLENDER");
    std::string_view path = search.path_env;
    while (!path.empty()) {
        auto colon = path.find(':');
        std::string_view dir = path.substr(0, colon);
        path = colon == std::string_view::npos ? std::string_view{} : path.substr(colon + 1);
        if (dir.empty()) continue;
        fs::path candidate = fs::path(dir) / "blender";
        if (is_executable_file(candidate)) return candidate;
    }
    return util::make_error(std::string("Blender not found: ") + k_install_hint,
                            util::ErrorKind::unavailable);
}

std::optional<BlenderVersion> parse_blender_version(std::string_view output) {
    static const std::regex k_version(R"(Blender (\d+)\.(\d+)(?:\.(\d+))?([^\r\n]*))");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(output.begin(), output.end(), m, k_version)) return std::nullopt;
    BlenderVersion v;
    v.major = std::stoi(m[1].str());
    v.minor = std::stoi(m[2].str());
    v.patch = m[3].matched ? std::stoi(m[3].str()) : 0;
    std::string rest = m[4].str();
    while (!rest.empty() && rest.back() == ' ') rest.pop_back();
    v.text = m[1].str();
    v.text += '.';
    v.text += m[2].str();
    if (m[3].matched) v.text += '.' + m[3].str();
    v.text += rest;
    return v;
}

util::Result<BlenderVersion> read_blender_version(const fs::path& blender,
                                                  std::chrono::milliseconds timeout) {
    auto run = util::run_capture(version_command(blender), timeout);
    if (!run) return util::make_error(run.error().message, util::ErrorKind::unavailable);
    auto version = parse_blender_version(run->output);
    if (!version || !run->status.success()) {
        return util::make_error(blender.string() + " --version did not print a Blender version (" +
                                    run->status.describe() + "):\n" + tail(run->output),
                                util::ErrorKind::unavailable);
    }
    return *version;
}

util::Result<BlenderCapabilities> parse_probe_output(std::string_view output) {
    std::string line = probe_line(output);
    if (line.empty()) return util::make_error("Blender printed no probe report:\n" + tail(output));
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return util::make_error("Blender's probe report is not valid JSON: " + line);
    }
    BlenderCapabilities caps;
    caps.version = json.value("blender_version", "");
    caps.python_version = json.value("python_version", "");
    caps.engines = json.value("engines", std::vector<std::string>{});
    for (const auto& b : json.value("gpu_backends", nlohmann::json::array())) {
        caps.gpu_backends.push_back(
            GpuBackend{b.value("type", ""), b.value("devices", std::vector<std::string>{})});
    }
    return caps;
}

util::Result<BlenderCapabilities> probe_blender(const fs::path& blender,
                                                std::chrono::milliseconds timeout) {
    auto driver = DriverScript::write();
    if (!driver) return driver.error();
    auto run = util::run_capture(probe_command(blender, driver->path()), timeout);
    if (!run) return util::make_error(run.error().message, util::ErrorKind::unavailable);
    auto caps = parse_probe_output(run->output);
    if (!caps) {
        return util::make_error("probing " + blender.string() + " failed (" +
                                run->status.describe() + "): " + caps.error().message);
    }
    return caps;
}

}  // namespace spotfarm::blender
