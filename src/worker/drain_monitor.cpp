#include "worker/drain_monitor.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "util/seconds.h"

namespace spotfarm::worker {

namespace {
// An interruption notice without a time: AWS gives two minutes.
constexpr auto k_default_notice = std::chrono::minutes(2);
// Kept between the drain's end and a time limit: Slurm's check of the limit and its SIGTERM may
// come a little early by this machine's clock.
constexpr auto k_time_limit_safety = std::chrono::seconds(10);
}  // namespace

DrainMonitor::DrainMonitor(const util::Clock& clock, const std::atomic<int>* signals,
                           InterruptionWatcher* watcher, util::Clock::duration grace)
    : m_clock(clock), m_signals(signals), m_watcher(watcher), m_grace(grace) {}

void DrainMonitor::begin(protocol::LeaveReason reason,
                         std::optional<util::Clock::time_point> deadline) {
    // A spot interruption outranks the other reasons: the machine goes whatever else happens.
    if (!m_reason || reason == protocol::LeaveReason::spot_interruption ||
        *m_reason == protocol::LeaveReason::rebalance) {
        m_reason = reason;
    }
    if (deadline) m_deadline = m_deadline ? std::min(*m_deadline, *deadline) : *deadline;
}

void DrainMonitor::set_time_limit(util::Clock::time_point end, util::Clock::duration margin) {
    m_time_limit = end - k_time_limit_safety;
    m_time_limit_margin = margin;
}

void DrainMonitor::note_frame_time(util::Clock::duration took) {
    // The first frame also paid for Blender's start and the scene's load: once later frames are
    // known, they alone say how long a frame takes.
    if (++m_frames_noted == 1) {
        m_longest_frame = took;
        return;
    }
    m_longest_later = std::max(m_longest_later, took);
    m_longest_frame = m_longest_later;
}

void DrainMonitor::check_time_limit(util::Clock::time_point now) {
    if (!m_time_limit || draining()) return;
    if (now + m_longest_frame + m_time_limit_margin < *m_time_limit) return;
    spdlog::warn(
        "the allocation's time limit is {} s away and a frame takes up to {} s here: taking no "
        "more work",
        util::whole_seconds(*m_time_limit + k_time_limit_safety - now),
        util::whole_seconds(m_longest_frame));
    begin(protocol::LeaveReason::shutdown, *m_time_limit);
}

void DrainMonitor::update() {
    const auto now = m_clock.now();
    check_time_limit(now);
    const int signals = m_signals ? m_signals->load() : 0;
    if (signals >= 1 && !m_signaled) {
        m_signaled = true;
        spdlog::warn("stop requested: finishing up within {} s, taking no more work",
                     util::whole_seconds(m_grace));
        begin(protocol::LeaveReason::shutdown, now + m_grace);
    }
    if (signals >= 2 && !m_urgent) {
        m_urgent = true;
        spdlog::warn("stop requested again: abandoning the frame in progress");
    }

    if (!m_watcher || reason() == protocol::LeaveReason::spot_interruption) return;
    if (m_next_watch && now < *m_next_watch) return;
    m_next_watch = now + m_watcher->interval();
    const InterruptionNotice notice = m_watcher->poll();
    if (notice.kind == InterruptionNotice::Kind::interruption) {
        util::Clock::duration left = k_default_notice;
        if (notice.deadline) {
            left = std::max<util::Clock::duration>(
                util::Clock::duration::zero(), std::chrono::duration_cast<util::Clock::duration>(
                                                   *notice.deadline - m_clock.wall_now()));
        }
        spdlog::warn("spot interruption notice: this machine goes in {} s; leaving",
                     util::whole_seconds(left));
        begin(protocol::LeaveReason::spot_interruption, now + left);
    } else if (notice.kind == InterruptionNotice::Kind::rebalance && !draining()) {
        spdlog::warn(
            "spot rebalance recommendation: finishing the frame in progress, then "
            "leaving");
        begin(protocol::LeaveReason::rebalance, std::nullopt);
    }
}

}  // namespace spotfarm::worker
