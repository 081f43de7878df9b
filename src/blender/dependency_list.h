#pragma once
// The external files a scene needs, as Blender itself resolves them: images (with sequences and
// UDIM tiles expanded), movie clips, linked libraries (recursively), sounds, fonts, volumes,
// point and simulation caches, Alembic/USD caches. Listed by the session driver, so it costs one
// Blender start. Transfer mode uploads exactly these (docs/transfer.md).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "blender/session.h"
#include "util/result.h"

namespace spotfarm::blender {

struct Dependency {
    std::string kind;            // "image", "movie", "library", "sound", "font", "volume",
                                 // "cache", "point_cache", "simulation", "sequence_strip",
                                 // "text" (an external script), "other" (known only to
                                 // bpy.utils.blend_paths)
    std::string written;         // the path as the scene (or its library) wrote it: "//tex/a.png";
                                 // for a file of a pattern (sequence frame, UDIM tile, cache
                                 // file) that file's own path in the same form
    std::filesystem::path path;  // absolute, resolved as Blender resolves it
    std::int64_t size = -1;      // bytes; -1 when missing
    bool missing = false;        // Blender would not find it
    bool outside = false;        // not under the scene's folder (an absolute path elsewhere)
    std::string user;            // the datablock that needs it ("IM:wood.png"), for messages

    bool operator==(const Dependency&) const = default;
};

// Starts Blender on options.launch.scene_file through the driver, asks for every dependency and
// closes it. Sorted by path, each file once (the first datablock that needs it is `user`).
util::Result<std::vector<Dependency>> list_dependencies(const SessionOptions& options);

}  // namespace spotfarm::blender
