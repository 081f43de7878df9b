// `spotfarm blender-info`: which Blender spotfarm would run, its version, render engines and GPU
// backends with the devices each one finds.

#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/blender_install.h"
#include "cli/common/commands.h"

namespace spotfarm::cli {

namespace {

struct InfoArgs {
    std::string blender;
    bool json = false;
};

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

int run_blender_info(const InfoArgs& args) {
    auto path = blender::find_blender(blender::blender_search_from_env(args.blender));
    if (!path) {
        std::cerr << "spotfarm blender-info: " << path.error().message << "\n";
        return exit_code(path.error().kind);
    }
    auto version = blender::read_blender_version(*path);
    if (!version) {
        std::cerr << "spotfarm blender-info: " << version.error().message << "\n";
        return exit_code(version.error().kind);
    }
    auto caps = blender::probe_blender(*path);
    if (!caps) {
        std::cerr << "spotfarm blender-info: " << caps.error().message << "\n";
        return k_exit_failure;
    }
    if (args.json) {
        nlohmann::json backends = nlohmann::json::array();
        for (const auto& b : caps->gpu_backends) {
            backends.push_back({{"type", b.type}, {"devices", b.devices}});
        }
        nlohmann::json j = {{"path", path->string()},
                            {"version", version->text},
                            {"python_version", caps->python_version},
                            {"engines", caps->engines},
                            {"gpu_backends", backends}};
        std::cout << j.dump(2) << "\n";
        return k_exit_ok;
    }
    fmt::print("blender   {}\n", path->string());
    fmt::print("version   {} (Python {})\n", version->text, caps->python_version);
    fmt::print("engines   {}\n", join(caps->engines));
    if (caps->gpu_backends.empty()) {
        fmt::print("GPU       none: this build has no GPU backend; Cycles renders on the CPU\n");
    }
    bool any_device = false;
    for (const auto& b : caps->gpu_backends) {
        any_device = any_device || !b.devices.empty();
        fmt::print("GPU       {:<7} {}\n", b.type,
                   b.devices.empty() ? std::string("no device found") : join(b.devices));
    }
    if (!caps->gpu_backends.empty() && !any_device) {
        fmt::print("          (--device gpu will fail here; --device auto renders on the CPU)\n");
    }
    return k_exit_ok;
}

}  // namespace

void add_blender_info_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<InfoArgs>();
    CLI::App* cmd = app.add_subcommand(
        "blender-info",
        "Show the Blender spotfarm runs: version, engines, GPU backends and devices");
    cmd->footer(
        "\nBlender is found from --blender, then $SPOTFARM_BLENDER, then `blender` on PATH.\n\n"
        "Examples:\n"
        "  spotfarm blender-info\n"
        "  spotfarm blender-info --blender /opt/blender-4.2/blender --json\n");
    cmd->add_option("--blender", args->blender, "Blender to look at");
    cmd->add_flag("--json", args->json, "Print the facts as JSON");
    cmd->callback([args, &exit_code] { exit_code = run_blender_info(*args); });
}

}  // namespace spotfarm::cli
