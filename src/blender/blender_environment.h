#pragma once
// The environment Blender runs with: an allow-list of what it and its GPU drivers need, never the
// worker's whole environment. A scene's Python (when a job allows scripts) can read every
// variable, and the worker's may hold its join token or cloud keys.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spotfarm::blender {

using Environment = std::vector<std::pair<std::string, std::string>>;

// Whether a variable called `name` is passed on to Blender.
bool passed_to_blender(std::string_view name);

// The entries of `parent` ("NAME=value") that Blender may see.
Environment blender_environment(const std::vector<std::string>& parent);

// The same, from this process's own environment.
Environment blender_environment();

}  // namespace spotfarm::blender
