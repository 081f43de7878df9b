#pragma once
// Reads EC2's Spot notices from the instance metadata service (IMDSv2): the interruption notice
// (spot/instance-action, about two minutes before AWS takes the instance) and the earlier
// rebalance recommendation. The worker calls poll() every k_spot_poll_interval and drains on a
// notice.

#include <chrono>
#include <optional>
#include <string>

#include "util/http_client.h"
#include "util/imds_client.h"
#include "util/result.h"

namespace spotfarm::worker {

inline constexpr std::chrono::seconds k_spot_poll_interval{5};  // AWS's advice

struct SpotNotice {
    enum class Kind {
        none,          // keep working
        rebalance,     // risk is up: take no new work here if the fleet can place it elsewhere
        interruption,  // AWS takes the instance at `deadline`
    };
    Kind kind = Kind::none;
    std::string action;  // interruption: "terminate", "stop" or "hibernate"
    // interruption: when AWS takes the instance; rebalance: when AWS made the recommendation.
    std::optional<std::chrono::system_clock::time_point> time;
};

// Not thread-safe: one watcher per polling thread.
class SpotInterruptionWatcher {
public:
    explicit SpotInterruptionWatcher(util::HttpClient& http, util::ImdsOptions imds = {});

    // One look. An interruption outranks a rebalance recommendation. Fails when IMDS cannot be
    // read or answers something that is not a notice.
    util::Result<SpotNotice> poll();

private:
    util::ImdsClient m_imds;
};

}  // namespace spotfarm::worker
