#include "core/fleet_sizing.h"

#include <algorithm>

namespace spotfarm::core {

util::Status check_bounds(const FleetBounds& b) {
    if (b.min_workers < 0)
        return util::make_error("the minimum fleet size cannot be negative",
                                util::ErrorKind::invalid);
    if (b.max_workers < 1)
        return util::make_error("the maximum fleet size must be at least 1",
                                util::ErrorKind::invalid);
    if (b.min_workers > b.max_workers)
        return util::make_error("the minimum fleet size (" + std::to_string(b.min_workers) +
                                    ") is above the maximum (" + std::to_string(b.max_workers) +
                                    ")",
                                util::ErrorKind::invalid);
    if (b.frames_per_worker < 1)
        return util::make_error("frames per worker must be at least 1", util::ErrorKind::invalid);
    if (b.idle_grace.count() < 0 || b.register_timeout.count() <= 0)
        return util::make_error("the idle grace and the register timeout must be positive",
                                util::ErrorKind::invalid);
    return {};
}

std::string_view to_string(InstanceStopReason reason) {
    switch (reason) {
        case InstanceStopReason::never_registered:
            return "never registered";
        case InstanceStopReason::worker_lost:
            return "worker lost";
        case InstanceStopReason::worker_left:
            return "worker left";
        case InstanceStopReason::idle:
            return "idle";
        case InstanceStopReason::surplus:
            break;
    }
    return "surplus";
}

FleetDecision decide_fleet(const FleetBounds& bounds, const FleetSituation& s) {
    FleetDecision decision;
    const int min_workers = std::max(0, bounds.min_workers);
    const int max_workers = std::max(min_workers, bounds.max_workers);
    const std::int64_t per_worker = std::max(1, bounds.frames_per_worker);

    std::vector<const InstanceView*> live;
    for (const auto& instance : s.instances) {
        if (!instance.registered && s.now - instance.accounted_at >= bounds.register_timeout)
            decision.to_stop.push_back({instance.id, instance.ever_registered
                                                         ? InstanceStopReason::worker_lost
                                                         : InstanceStopReason::never_registered});
        else
            live.push_back(&instance);
    }
    // Newest first: the instance that has had the least time to boot is the cheapest to drop.
    std::stable_sort(live.begin(), live.end(), [](const InstanceView* a, const InstanceView* b) {
        return a->launched_at > b->launched_at;
    });

    const std::int64_t work =
        std::max<std::int64_t>(0, s.queued_frames) + std::max<std::int64_t>(0, s.active_frames);
    const std::int64_t by_work = (work + per_worker - 1) / per_worker;
    decision.wanted = int(std::clamp<std::int64_t>(by_work, min_workers, max_workers));

    int count = int(live.size());
    auto release = [&](auto&& eligible, InstanceStopReason reason, int floor) {
        for (const InstanceView* instance : live) {
            if (count <= floor) return;
            if (!eligible(*instance)) continue;
            decision.to_stop.push_back({instance->id, reason});
            --count;
        }
    };
    auto starting = [](const InstanceView& i) { return !i.registered; };
    auto idle = [](const InstanceView& i) { return i.registered && !i.busy; };

    const bool idle_for_grace = s.queued_frames <= 0 && s.queue_empty_since &&
                                s.now - *s.queue_empty_since >= bounds.idle_grace;
    if (idle_for_grace) {
        release(starting, InstanceStopReason::idle, min_workers);
        release(idle, InstanceStopReason::idle, min_workers);
    } else if (s.queued_frames > 0) {
        release(starting, InstanceStopReason::surplus, decision.wanted);
    }
    decision.live = count;
    const int target = s.queued_frames > 0 ? decision.wanted : min_workers;
    decision.to_start = std::max(0, target - count);
    return decision;
}

}  // namespace spotfarm::core
