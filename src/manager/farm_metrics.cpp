#include "manager/farm_metrics.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/job_status.h"
#include "core/task_status.h"
#include "core/worker.h"
#include "manager/fleet_view.h"
#include "protocol/fleet_summary.h"

namespace spotfarm::manager {

void FrameRateWindow::add(std::int64_t now_ms, int frames) {
    m_recent.emplace_back(now_ms, frames);
}

double FrameRateWindow::per_minute(std::int64_t now_ms) {
    while (!m_recent.empty() && m_recent.front().first <= now_ms - k_window_ms) {
        m_recent.pop_front();
    }
    std::int64_t frames = 0;
    for (const auto& [at, n] : m_recent) frames += n;
    return static_cast<double>(frames) / (static_cast<double>(k_window_ms) / 60000.0);
}

std::string farm_metrics_text(const core::Scheduler& s, FarmCounters& counters,
                              const FarmGauges& gauges, FleetView* fleet, std::int64_t now_ms) {
    PrometheusText out;
    std::int64_t queued_frames = 0;
    std::array<std::int64_t, core::k_task_status_count> tasks{};
    std::map<std::string, int> jobs;
    for (const core::Job* job : s.jobs()) {
        for (int i = 0; i < core::k_task_status_count; ++i) tasks[i] += job->counts[i];
        ++jobs[std::string(core::to_string(job->status))];
        if (job->status == core::JobStatus::queued || job->status == core::JobStatus::active) {
            const std::int64_t left = job->count(core::TaskStatus::queued);
            queued_frames += left * std::max(1, job->chunk);
        }
    }
    out.family("spotfarm_tasks_queued", "gauge", "Tasks waiting for a worker.")
        .sample("spotfarm_tasks_queued", static_cast<double>(s.queued_tasks()));
    out.family("spotfarm_tasks_active", "gauge", "Tasks leased to a worker.")
        .sample("spotfarm_tasks_active", static_cast<double>(s.active_leases()));
    out.family("spotfarm_queue_frames", "gauge",
               "Frames waiting for a worker in queued and active jobs (queue depth; a task of a "
               "chunked job counts its chunk).")
        .sample("spotfarm_queue_frames", static_cast<double>(queued_frames));
    out.family("spotfarm_tasks", "gauge", "Tasks of every job, by state.");
    for (int i = 0; i < core::k_task_status_count; ++i) {
        out.sample("spotfarm_tasks", static_cast<double>(tasks[i]),
                   {{"state", std::string(core::to_string(static_cast<core::TaskStatus>(i)))}});
    }
    out.family("spotfarm_jobs", "gauge", "Jobs, by state.");
    for (auto status :
         {core::JobStatus::queued, core::JobStatus::active, core::JobStatus::paused,
          core::JobStatus::completed, core::JobStatus::failed, core::JobStatus::canceled}) {
        const std::string name(core::to_string(status));
        out.sample("spotfarm_jobs", jobs.count(name) ? jobs[name] : 0, {{"state", name}});
    }
    out.family("spotfarm_frames_completed_total", "counter",
               "Frames rendered and reported since the manager started.")
        .sample("spotfarm_frames_completed_total", static_cast<double>(counters.frames_completed));
    out.family("spotfarm_frames_per_minute", "gauge",
               "Frames completed per minute over the last 5 minutes.")
        .sample("spotfarm_frames_per_minute", counters.frame_rate.per_minute(now_ms));
    out.histogram("spotfarm_claim_latency_seconds",
                  "Seconds from a worker's claim to the task it got (its long-poll wait included).",
                  counters.claim_latency);

    std::map<std::string, int> workers = {{"online", 0}, {"draining", 0}, {"offline", 0}};
    for (const core::Worker* w : s.workers()) ++workers[std::string(core::to_string(w->status))];
    out.family("spotfarm_workers", "gauge", "Workers, by state.");
    for (const auto& [state, n] : workers) out.sample("spotfarm_workers", n, {{"state", state}});
    out.family("spotfarm_workers_online", "gauge", "Workers heard from recently.")
        .sample("spotfarm_workers_online", workers["online"]);
    out.family("spotfarm_claims_waiting", "gauge", "Workers waiting for work in a long-poll.")
        .sample("spotfarm_claims_waiting", static_cast<double>(gauges.claims_waiting));
    out.family("spotfarm_live_logs", "gauge",
               "Tasks whose running attempt's log is kept in memory.")
        .sample("spotfarm_live_logs", static_cast<double>(gauges.live_logs));

    if (fleet != nullptr) {
        auto summary = protocol::from_json<protocol::FleetSummary>(fleet->fleet_json());
        if (summary) {
            std::map<std::pair<std::string, std::string>, int> running;
            for (const auto& i : summary->instances) {
                if (!i.running) continue;
                ++running[{i.kind, i.interruptible ? "spot" : "on-demand"}];
            }
            out.family("spotfarm_fleet_instances", "gauge",
                       "Fleet instances up or starting, by instance type and market.");
            for (const auto& [key, n] : running) {
                out.sample(
                    "spotfarm_fleet_instances", n,
                    {{"provider", summary->provider}, {"type", key.first}, {"market", key.second}});
            }
            out.family("spotfarm_fleet_live", "gauge", "Fleet instances up or starting.")
                .sample("spotfarm_fleet_live", summary->live);
            if (summary->wanted) {
                out.family("spotfarm_fleet_wanted", "gauge", "The fleet size the work asks for.")
                    .sample("spotfarm_fleet_wanted", *summary->wanted);
            }
            out.family("spotfarm_fleet_cost_usd", "gauge", "What the fleet cost so far, in USD.")
                .sample("spotfarm_fleet_cost_usd", summary->cost.usd);
            out.family("spotfarm_fleet_instance_hours", "gauge",
                       "Instance-hours the fleet ran so far.")
                .sample("spotfarm_fleet_instance_hours", summary->cost.instance_hours);
        }
    }
    out.family("spotfarm_transfer_bytes_total", "counter",
               "Bytes of transfer mode's blobs and frames, by direction: up to the manager, down "
               "from it.")
        .sample("spotfarm_transfer_bytes_total",
                static_cast<double>(counters.transfer_bytes_up.load(std::memory_order_relaxed)),
                {{"direction", "up"}})
        .sample("spotfarm_transfer_bytes_total",
                static_cast<double>(counters.transfer_bytes_down.load(std::memory_order_relaxed)),
                {{"direction", "down"}});
    out.family("spotfarm_media_made_total", "counter",
               "Jobs whose video or preview the manager made since it started.")
        .sample("spotfarm_media_made_total", static_cast<double>(gauges.media_made));
    return out.text();
}

}  // namespace spotfarm::manager
