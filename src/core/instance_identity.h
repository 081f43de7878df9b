#pragma once
// How a worker says which machine of a fleet it runs on, so that the fleet controller can tell a
// registered worker from an instance that boots, hangs or never reaches the manager. A provider
// puts the machine's id (an EC2 instance id, "local-3") into the worker's environment; the worker
// registers with the tag "instance=ID"; the manager reads it back with instance_from_tags().

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotfarm::core {

// The environment variable a provider sets for the worker it starts.
inline constexpr std::string_view k_instance_id_variable = "SPOTFARM_INSTANCE_ID";
inline constexpr std::string_view k_instance_tag_prefix = "instance=";

// "instance=ID".
std::string instance_tag(std::string_view instance_id);

// The id in the first "instance=ID" tag with a non-empty ID, if any.
std::optional<std::string> instance_from_tags(const std::vector<std::string>& tags);

}  // namespace spotfarm::core
