#include "manager/fleet_controller.h"

#include <algorithm>
#include <set>

#include "util/duration_text.h"
#include "util/secret.h"

namespace spotfarm::manager {
namespace {

// Durations read as the watchdog's do ("45 s", "2 min 30 s").
std::string duration_text(util::Clock::duration d) {
    return util::describe_duration(std::chrono::duration_cast<std::chrono::milliseconds>(d));
}

std::string describe(const providers::WorkerInstance& instance) {
    std::string text = "instance " + instance.id;
    if (!instance.kind.empty())
        text += " (" + instance.kind + (instance.zone.empty() ? "" : " in " + instance.zone) +
                (instance.interruptible ? ", spot)" : ")");
    return text;
}

bool is_gone(providers::WorkerState state) {
    return state == providers::WorkerState::stopping || state == providers::WorkerState::stopped;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace

FleetController::FleetController(providers::Provider& provider, const util::Clock& clock,
                                 FleetControllerOptions options)
    : m_provider(provider),
      m_clock(clock),
      m_options(std::move(options)),
      m_ledger(m_options.price),
      m_session(util::random_hex(4).value_or("00000000")) {}

TickReport FleetController::tick(util::Clock::time_point now, const FarmSnapshot& farm) {
    TickReport report;
    const bool refresh_due =
        m_refresh_now || !m_last_refresh || now - *m_last_refresh >= m_options.refresh_every;
    if (refresh_due) {
        refresh(now, report);
        // Deciding on a fleet that could not be seen could launch twice: wait for the next tick.
        if (!report.errors.empty()) return report;
    }
    note_registrations(now, farm);
    std::vector<core::StopOrder> left;
    for (const auto& id : farm.left_instances) {
        auto it = m_instances.find(id);
        if (it != m_instances.end() && !it->second.gone && !it->second.stop_requested_at)
            left.push_back({id, core::InstanceStopReason::worker_left});
    }
    // Stopped before deciding, so that the decision counts them out and replaces them.
    stop(left, now, report);
    if (farm.queued_frames > 0)
        m_queue_empty_since.reset();
    else if (!m_queue_empty_since)
        m_queue_empty_since = now;

    report.decision = core::decide_fleet(m_options.bounds, situation(now, farm));
    std::vector<core::StopOrder> stops = report.decision.to_stop;
    if (refresh_due) {
        // Still listed as live a while after its stop was asked for: ask again.
        for (auto& [id, tracked] : m_instances)
            if (!tracked.gone && tracked.stop_requested_at &&
                now - *tracked.stop_requested_at >= m_options.stop_retry_after)
                stops.push_back({id, core::InstanceStopReason::surplus});
    }
    stop(stops, now, report);
    launch(report.decision.to_start, now, report);
    return report;
}

void FleetController::refresh(util::Clock::time_point now, TickReport& report) {
    auto listed = m_provider.list_workers();
    if (!listed.ok()) {
        report.errors.push_back("could not list the fleet's workers: " + listed.error().message);
        return;
    }
    m_last_refresh = now;
    m_refresh_now = false;
    merge_listing(*listed, now, report);
}

void FleetController::merge_listing(const std::vector<providers::WorkerInstance>& listed,
                                    util::Clock::time_point now, TickReport& report) {
    const WallTime wall = m_clock.wall_now();
    std::set<std::string> seen;
    for (const auto& instance : listed) {
        seen.insert(instance.id);
        auto [it, inserted] = m_instances.try_emplace(instance.id);
        Tracked& tracked = it->second;
        tracked.instance = instance;
        tracked.listed = true;
        if (inserted) {
            tracked.first_seen = now;
            tracked.accounted_at = now;
            if (is_gone(instance.state)) {
                // Gone before this controller saw it (an earlier manager's): nothing to count.
                tracked.gone = true;
                continue;
            }
            report.events.push_back("found " + describe(instance) + ", " +
                                    std::string(providers::to_string(instance.state)));
        }
        if (tracked.gone) continue;
        m_ledger.observe(instance, wall);
        if (is_gone(instance.state)) mark_gone(tracked, report);
    }
    for (auto& [id, tracked] : m_instances) {
        if (tracked.gone || seen.count(id)) continue;
        if (tracked.listed) {
            mark_gone(tracked, report);  // the provider no longer knows it
        } else if (now - tracked.first_seen >= m_options.bounds.register_timeout) {
            // Launched but never listed: the provider lost it; stop counting it.
            tracked.gone = true;
            m_ledger.close(id, wall);
            report.events.push_back(describe(tracked.instance) +
                                    " was launched but never listed by the provider; forgotten");
        }
    }
}

void FleetController::mark_gone(Tracked& tracked, TickReport& report) {
    tracked.gone = true;
    m_ledger.close(tracked.instance.id, m_clock.wall_now());
    if (tracked.stop_requested_at) return;
    m_ledger.mark_interrupted(tracked.instance.id);
    report.interrupted.push_back(tracked.instance.id);
    std::string why = tracked.instance.reason.empty() ? "" : ": " + tracked.instance.reason;
    report.events.push_back(describe(tracked.instance) + " stopped without being asked to" + why +
                            "; it is replaced while work remains");
}

void FleetController::note_registrations(util::Clock::time_point now, const FarmSnapshot& farm) {
    std::map<std::string, bool> busy_by_instance;
    for (const auto& worker : farm.workers)
        if (!worker.instance_id.empty()) busy_by_instance[worker.instance_id] |= worker.busy;
    for (auto& [id, tracked] : m_instances) {
        auto it = busy_by_instance.find(id);
        tracked.registered = it != busy_by_instance.end() && !tracked.gone;
        tracked.busy = tracked.registered && it->second;
        if (!tracked.registered) continue;
        tracked.accounted_at = now;
        if (!tracked.ever_registered) {
            tracked.ever_registered = true;
            m_unregistered_in_a_row = 0;
        }
    }
}

core::FleetSituation FleetController::situation(util::Clock::time_point now,
                                                const FarmSnapshot& farm) const {
    core::FleetSituation s;
    s.now = now;
    s.queued_frames = farm.queued_frames;
    s.active_frames = farm.active_frames;
    s.queue_empty_since = m_queue_empty_since;
    for (const auto& [id, tracked] : m_instances) {
        if (tracked.gone || tracked.stop_requested_at) continue;
        s.instances.push_back({id, tracked.first_seen, tracked.accounted_at,
                               tracked.ever_registered, tracked.registered, tracked.busy});
    }
    return s;
}

void FleetController::stop(const std::vector<core::StopOrder>& orders, util::Clock::time_point now,
                           TickReport& report) {
    if (orders.empty()) return;
    std::vector<std::string> ids;
    for (const auto& order : orders) ids.push_back(order.id);
    if (auto stopped = m_provider.stop_workers(ids); !stopped.ok()) {
        report.errors.push_back("could not stop " + join(ids) + ": " + stopped.error().message);
        return;
    }
    m_refresh_now = true;
    const WallTime wall = m_clock.wall_now();
    const std::string timeout = duration_text(m_options.bounds.register_timeout);
    for (const auto& order : orders) {
        Tracked& tracked = m_instances.at(order.id);
        const bool again = tracked.stop_requested_at.has_value();
        tracked.stop_requested_at = now;
        m_ledger.close(order.id, wall);
        report.stopped.push_back(order.id);
        std::string why;
        if (again) {
            why = "asked again: still running after its stop was asked for";
        } else if (order.reason == core::InstanceStopReason::never_registered) {
            why = "its worker did not register with the manager within " + timeout;
            ++m_unregistered_in_a_row;
        } else if (order.reason == core::InstanceStopReason::worker_left) {
            why =
                "its worker left the manager (a rebalance recommendation, an interruption "
                "notice or a shutdown)";
        } else if (order.reason == core::InstanceStopReason::worker_lost) {
            why = "its worker has been gone from the manager for " + timeout;
        } else if (order.reason == core::InstanceStopReason::idle) {
            why = "nothing queued for " + duration_text(m_options.bounds.idle_grace);
        } else {
            why = "the work left needs fewer workers";
        }
        report.events.push_back("stopping " + describe(tracked.instance) + ": " + why);
    }
    const int limit = m_options.give_up_after_unregistered;
    if (limit > 0 && m_unregistered_in_a_row >= limit && m_launch_stopped.empty()) {
        m_launch_stopped = std::to_string(m_unregistered_in_a_row) +
                           " instances in a row never registered with the manager; launching no "
                           "more. Check that the instances can reach the manager URL (security "
                           "group, subnet), the AMI and the user-data (`spotfarm cloud user-data`)";
        report.errors.push_back(m_launch_stopped);
    }
}

void FleetController::launch(int count, util::Clock::time_point now, TickReport& report) {
    if (count <= 0 || !m_launch_stopped.empty()) return;
    if (m_launch_blocked_until && now < *m_launch_blocked_until) return;
    providers::StartRequest request;
    request.count = count;
    request.tags = m_options.tags;
    request.request_id = "fleet-" + m_session + "-" + std::to_string(++m_launches);
    auto result = m_provider.start_workers(request);
    if (!result.ok()) {
        launch_failed(now);
        report.errors.push_back("could not launch " + std::to_string(count) +
                                " worker(s): " + result.error().message + "; trying again in " +
                                duration_text(*m_launch_blocked_until - now));
        return;
    }
    m_refresh_now = true;
    const WallTime wall = m_clock.wall_now();
    for (const auto& instance : result->started) {
        Tracked& tracked = m_instances[instance.id];
        tracked.instance = instance;
        tracked.first_seen = now;
        tracked.accounted_at = now;
        m_ledger.observe(instance, wall);
        report.started.push_back(instance.id);
    }
    for (const auto& note : result->notes) report.events.push_back(note);
    report.events.push_back("launched " + std::to_string(result->started.size()) + " of " +
                            std::to_string(count) + " worker(s): " + join(report.started));
    if (int(result->started.size()) < count) {
        launch_failed(now);
        report.events.push_back("launching the rest in " +
                                duration_text(*m_launch_blocked_until - now));
    } else {
        m_launch_failures = 0;
        m_launch_blocked_until.reset();
    }
}

void FleetController::launch_failed(util::Clock::time_point now) {
    auto delay = m_options.launch_retry_delay;
    for (int i = 0; i < m_launch_failures && delay < m_options.launch_retry_max; ++i) delay *= 2;
    ++m_launch_failures;
    m_launch_blocked_until = now + std::min(delay, m_options.launch_retry_max);
}

util::Status FleetController::stop_all() {
    if (auto stopped = m_provider.stop_all(); !stopped.ok()) return stopped;
    m_refresh_now = true;
    const auto now = m_clock.now();
    const WallTime wall = m_clock.wall_now();
    for (auto& [id, tracked] : m_instances) {
        if (tracked.gone) continue;
        if (!tracked.stop_requested_at) tracked.stop_requested_at = now;
        m_ledger.close(id, wall);
    }
    return {};
}

FleetCost FleetController::cost() const {
    return m_ledger.cost(m_clock.wall_now());
}

FleetCost FleetController::cost_between(WallTime from, WallTime to) const {
    return m_ledger.cost_between(from, to, m_clock.wall_now());
}

void FleetController::resume_launching() {
    m_launch_stopped.clear();
    m_unregistered_in_a_row = 0;
    m_launch_failures = 0;
    m_launch_blocked_until.reset();
}

int FleetController::live_count() const {
    return int(std::count_if(m_instances.begin(), m_instances.end(), [](const auto& entry) {
        return !entry.second.gone && !entry.second.stop_requested_at;
    }));
}

}  // namespace spotfarm::manager
