#include "manager/worker_keys.h"

#include "manager/farm.h"
#include "manager/worker_credentials.h"

namespace spotfarm::manager {

void WorkerKeys::load(const Farm& farm) {
    m_by_hash.clear();
    for (const core::Worker* worker : farm.scheduler().workers()) {
        m_by_hash.emplace(worker->secret_hash, worker->id);
    }
}

void WorkerKeys::add(core::WorkerId worker, std::string secret_hash) {
    m_by_hash[std::move(secret_hash)] = worker;
}

std::optional<core::WorkerId> WorkerKeys::find(std::string_view secret) const {
    auto it = m_by_hash.find(hash_worker_secret(secret));
    if (it == m_by_hash.end()) return std::nullopt;
    return it->second;
}

}  // namespace spotfarm::manager
