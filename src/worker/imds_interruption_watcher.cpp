#include "worker/imds_interruption_watcher.h"

#include <spdlog/spdlog.h>

namespace spotfarm::worker {

ImdsInterruptionWatcher::ImdsInterruptionWatcher(util::HttpClient& http, util::ImdsOptions imds,
                                                 std::chrono::seconds interval)
    : m_spot(http, std::move(imds)), m_interval(interval) {}

InterruptionNotice ImdsInterruptionWatcher::poll() {
    auto spot = m_spot.poll();
    if (!spot) {
        if (spot.error().message != m_last_error) {
            spdlog::warn("spot watch: {} (no notice assumed; asking again every {} s)",
                         spot.error().message, m_interval.count());
            m_last_error = spot.error().message;
        }
        return {};
    }
    if (!m_last_error.empty()) spdlog::info("spot watch: the metadata service answers again");
    m_last_error.clear();
    InterruptionNotice notice;
    switch (spot->kind) {
        case SpotNotice::Kind::none:
            break;
        case SpotNotice::Kind::rebalance:
            notice.kind = InterruptionNotice::Kind::rebalance;
            break;
        case SpotNotice::Kind::interruption:
            notice.kind = InterruptionNotice::Kind::interruption;
            notice.deadline = spot->time;
            break;
    }
    return notice;
}

}  // namespace spotfarm::worker
