#include "blender/dependency_list.h"

#include "blender/dependency_reply.h"
#include "blender/driver_protocol.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

util::Result<std::vector<Dependency>> list_dependencies(const SessionOptions& options) {
    SessionOptions o = options;
    // Nothing is rendered: missing files are the answer, not a reason to stop; the scene's
    // output format does not matter (a movie format would fail the start); no GPU is looked for.
    o.strict = false;
    o.render.format = "PNG";
    o.render.device = "cpu";
    o.restart_every = 0;
    o.max_memory_mb = 0;
    Session session(std::move(o));
    auto reply = session.ask(dependencies_request(), "listing the scene's files");
    session.stop();
    if (!reply) return reply.error();
    auto found = parse_dependencies_reply(*reply);
    if (!found) return found.error();
    std::error_code ec;
    const fs::path scene = fs::absolute(options.launch.scene_file, ec).lexically_normal();
    return finish_dependencies(std::move(*found), scene.parent_path());
}

}  // namespace spotfarm::blender
