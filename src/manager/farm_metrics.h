#pragma once
// The farm's side of GET /metrics: the queue, tasks and workers by state, frames per minute, the
// claim latency histogram, the fleet's size and cost, transfer bytes and the media made. The
// counters live in the API's context and are fed by the routes (io thread), except the byte
// counters, which the disk pool adds to as well.

#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

#include "core/scheduler.h"
#include "manager/prometheus_text.h"

namespace spotfarm::manager {

class FleetView;

// Frames completed over the last few minutes, for a rate that follows the farm's pace.
class FrameRateWindow {
public:
    static constexpr std::int64_t k_window_ms = 5 * 60 * 1000;
    void add(std::int64_t now_ms, int frames);
    double per_minute(std::int64_t now_ms);

private:
    std::deque<std::pair<std::int64_t, int>> m_recent;  // (time, frames), oldest first
};

struct FarmCounters {
    // From a worker's claim request to the task it was given (the long-poll's wait included).
    Histogram claim_latency{{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60}};
    FrameRateWindow frame_rate;
    std::uint64_t frames_completed = 0;
    std::atomic<std::uint64_t> transfer_bytes_up{0};    // blobs and frames sent to the manager
    std::atomic<std::uint64_t> transfer_bytes_down{0};  // blobs and frames sent from it
};

// What a /metrics answer shows of the farm besides FarmCounters.
struct FarmGauges {
    std::size_t claims_waiting = 0;
    std::size_t live_logs = 0;
    std::uint64_t media_made = 0;
};

// The farm's metric families as Prometheus text. `fleet` may be null (no fleet).
std::string farm_metrics_text(const core::Scheduler& scheduler, FarmCounters& counters,
                              const FarmGauges& gauges, FleetView* fleet, std::int64_t now_ms);

}  // namespace spotfarm::manager
