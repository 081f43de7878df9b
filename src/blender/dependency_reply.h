#pragma once
// Reading the driver's answer to a "dependencies" request (driver_dependencies.py) and turning it
// into the list transfer mode uploads: each file once, sorted by path, marked when outside the
// scene's folder.

#include <filesystem>
#include <string>
#include <vector>

#include "blender/dependency_list.h"
#include "util/result.h"

namespace spotfarm::blender {

// The files of the reply in the driver's order, `outside` not yet set. An error when the reply
// says the listing failed or is not the shape driver_dependencies.py writes.
util::Result<std::vector<Dependency>> parse_dependencies_reply(const std::string& line);

// Sorted by path, each path once (the first entry wins: its `user` is the first datablock that
// needs the file), `outside` set for every file not under `scene_folder`.
std::vector<Dependency> finish_dependencies(std::vector<Dependency> found,
                                            const std::filesystem::path& scene_folder);

}  // namespace spotfarm::blender
