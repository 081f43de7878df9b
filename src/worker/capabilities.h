#pragma once
// What a worker tells the manager about the machine it runs on.

#include <string>
#include <vector>

#include "protocol/protocol.h"
#include "worker/frame_renderer.h"

namespace spotfarm::worker {

// Cores, memory and host name from the system; Blender version and GPU backends from the
// renderer. An empty `name` becomes the host name.
protocol::RegisterRequest describe_machine(std::string name, std::vector<std::string> tags,
                                           const RendererInfo& renderer);

}  // namespace spotfarm::worker
