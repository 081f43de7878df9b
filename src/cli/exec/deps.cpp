// `spotfarm deps`: every external file a .blend needs, as Blender itself resolves them, with
// sizes and which are missing or outside the scene's folder: what transfer mode would upload.

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "blender/blender_install.h"
#include "blender/dependency_list.h"
#include "cli/common/commands.h"
#include "cli/exec/deps_report.h"
#include "util/folder_check.h"

namespace spotfarm::cli {

namespace {

namespace fs = std::filesystem;

struct DepsArgs {
    std::string scene;
    std::string blender;
    bool json = false;
    bool allow_scripts = false;
    double load_timeout = 600;
};

constexpr const char* k_deps_footer = R"(
Blender loads the scene once (scripts off unless --allow-scripts) and lists what it would read:
images (sequences and UDIM tiles file by file), movie clips, linked libraries (and theirs),
sounds, fonts, volumes, Alembic/USD caches, point caches, fluid and geometry-nodes bakes,
sequencer strips. Packed files are part of the .blend and are not listed.
Status: ok; MISSING (Blender would not find it: it renders wrong, e.g. magenta); outside (found,
  but not under the scene's folder: an absolute path that transfer mode carries separately).
Exit codes: 0 every file found; 1 some file is missing; 2 bad input (no such scene, not a
  .blend, a scene Blender cannot open); 3 Blender not found.

Examples:
  spotfarm deps shot.blend
  spotfarm deps shot.blend --json | jq -r '.files[] | select(.missing) | .path'
  spotfarm deps shot.blend || echo "some textures are missing"
)";

util::Status check_scene(const fs::path& scene) {
    if (auto ok = util::check_readable_file(scene, "scene file"); !ok) {
        return util::make_error(ok.error().message, util::ErrorKind::invalid);
    }
    if (scene.extension() != ".blend") {
        return util::make_error(scene.string() + " is not a .blend file; give the scene to list",
                                util::ErrorKind::invalid);
    }
    return {};
}

int run_deps(const DepsArgs& args) {
    std::error_code ec;
    const fs::path scene = fs::absolute(args.scene, ec).lexically_normal();
    if (auto ok = check_scene(scene); !ok) {
        std::cerr << "spotfarm deps: " << ok.error().message << "\n";
        return exit_code(ok.error().kind);
    }
    auto blender = blender::find_blender(blender::blender_search_from_env(args.blender));
    if (!blender) {
        std::cerr << "spotfarm deps: " << blender.error().message << "\n";
        return exit_code(blender.error().kind);
    }
    blender::SessionOptions options;
    options.launch.blender = *blender;
    options.launch.scene_file = scene;
    options.launch.allow_scripts = args.allow_scripts;
    options.load_limit =
        std::chrono::milliseconds(static_cast<long long>(args.load_timeout * 1000));
    auto deps = blender::list_dependencies(options);
    if (!deps) {
        std::cerr << "spotfarm deps: " << deps.error().message << "\n";
        return exit_code(deps.error().kind);
    }
    if (args.json) {
        std::cout << deps_json(scene, *deps).dump(2) << "\n";
    } else {
        std::cout << format_deps_table(*deps);
    }
    return summarize(*deps).missing > 0 ? k_exit_failure : k_exit_ok;
}

}  // namespace

void add_deps_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<DepsArgs>();
    CLI::App* cmd = app.add_subcommand(
        "deps",
        "List every external file a .blend needs (textures, libraries, caches, ...),\n"
        "as Blender resolves them, with sizes and which are missing or outside its folder");
    cmd->footer(k_deps_footer);
    cmd->add_option("scene", args->scene, "The .blend file")->required()->type_name("SCENE");
    cmd->add_option("--blender", args->blender,
                    "Blender to run (default: $SPOTFARM_BLENDER, then blender on PATH)");
    cmd->add_flag("--json", args->json, "Print the list as JSON");
    cmd->add_flag("--allow-scripts", args->allow_scripts,
                  "Let the scene run its own Python while it loads (off: scenes may be untrusted)");
    cmd->add_option("--load-timeout", args->load_timeout,
                    "Seconds Blender may take to start, load the scene and list its files")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->callback([args, &exit_code] { exit_code = run_deps(*args); });
}

}  // namespace spotfarm::cli
