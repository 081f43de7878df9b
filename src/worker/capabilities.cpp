#include "worker/capabilities.h"

#include <algorithm>

#include <unistd.h>

namespace spotfarm::worker {

protocol::RegisterRequest describe_machine(std::string name, std::vector<std::string> tags,
                                           const RendererInfo& renderer) {
    protocol::RegisterRequest info;
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    info.host = host[0] ? host : "unknown-host";
    info.name = name.empty() ? info.host : std::move(name);
    info.cores = int(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
    long pages = ::sysconf(_SC_PHYS_PAGES);
    long page_size = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0) {
        info.memory_mb = std::int64_t(pages) * page_size / (1024 * 1024);
    }
    info.gpus = renderer.gpu_backends;
    info.blender_version = renderer.blender_version;
    info.tags = std::move(tags);
    return info;
}

}  // namespace spotfarm::worker
