#pragma once
// Which worker a bearer secret belongs to. Secrets are looked up by their SHA-256 (the only form
// the farm keeps), so no secret is compared byte by byte and a lookup takes the same time whichever
// worker it names.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/ids.h"

namespace spotfarm::manager {

class Farm;

class WorkerKeys {
public:
    // Every registered worker's secret hash, as the farm holds them.
    void load(const Farm& farm);
    void add(core::WorkerId worker, std::string secret_hash);
    std::optional<core::WorkerId> find(std::string_view secret) const;

private:
    std::unordered_map<std::string, core::WorkerId> m_by_hash;
};

}  // namespace spotfarm::manager
