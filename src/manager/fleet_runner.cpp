#include "manager/fleet_runner.h"

#include <spdlog/spdlog.h>

#include "core/instance_identity.h"
#include "core/job_status.h"
#include "manager/farm.h"
#include "manager/manager_service.h"
#include "protocol/fleet_summary.h"
#include "util/utc_time.h"

namespace spotfarm::manager {
namespace {

protocol::CostSummary cost_summary(const FleetCost& cost) {
    return {.usd = cost.usd, .instance_hours = cost.instance_hours, .notes = cost.notes};
}

WallTime from_unix_ms(std::int64_t ms) {
    return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

// The finished jobs with when each finished: `known` ones as they are, the others from the state
// database (`now` when it has no finish recorded).
std::map<core::JobId, WallTime> finished_jobs(Farm& farm,
                                              const std::map<core::JobId, WallTime>& known,
                                              WallTime now) {
    std::map<core::JobId, WallTime> ended;
    for (const JobSummary& job : farm.list_jobs()) {
        if (!core::is_finished(job.status)) continue;
        if (auto it = known.find(job.id); it != known.end()) {
            ended.emplace(job.id, it->second);
            continue;
        }
        auto stored = farm.job_finished_ms(job.id);
        ended.emplace(job.id, stored && *stored ? from_unix_ms(**stored) : now);
    }
    return ended;
}

}  // namespace

FarmSnapshot farm_snapshot(const Farm& farm) {
    FarmSnapshot snapshot;
    const core::Scheduler& s = farm.scheduler();
    for (const core::Job* job : s.jobs()) {
        const bool claimable =
            !core::is_finished(job->status) && job->status != core::JobStatus::paused;
        for (const core::Task& task : s.tasks_of(job->id)) {
            const auto frames = static_cast<std::int64_t>(task.frames.size());
            if (task.status == core::TaskStatus::active) snapshot.active_frames += frames;
            if (task.status == core::TaskStatus::queued && claimable)
                snapshot.queued_frames += frames;
        }
    }
    for (const WorkerSummary& worker : farm.list_workers()) {
        if (worker.status != core::WorkerStatus::online) continue;
        snapshot.workers.push_back(
            {core::instance_from_tags(worker.info.tags).value_or(""), !worker.tasks.empty()});
    }
    return snapshot;
}

std::vector<std::string> signed_off_instances(Farm& farm, core::EventId& after) {
    std::vector<std::string> instances;
    constexpr std::size_t k_page = 1000;
    while (true) {
        auto events = farm.events_since(after, k_page);
        if (!events.ok()) return instances;  // read again at the next tick
        for (const core::Event& event : *events) {
            after = event.id;
            if (event.kind != "worker.sign_off") continue;
            auto worker = farm.show_worker(event.worker);
            if (!worker.ok()) continue;
            if (auto instance = core::instance_from_tags(worker->info.tags))
                instances.push_back(*instance);
        }
        if (events->size() < k_page) return instances;
    }
}

FleetRunner::FleetRunner(providers::Provider& provider, const util::Clock& clock,
                         FleetRunnerOptions options)
    : m_provider(provider),
      m_clock(clock),
      m_options(options),
      m_controller(provider, clock, std::move(options.controller)) {}

FleetRunner::~FleetRunner() {
    stop();
}

void FleetRunner::start(ManagerService& service) {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stopping = false;
    m_thread = std::thread([this, &service] { run(service); });
}

void FleetRunner::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

util::Status FleetRunner::stop_fleet() {
    std::lock_guard lock(m_mutex);
    return m_controller.stop_all();
}

TickReport FleetRunner::tick(const FarmSnapshot& farm) {
    std::lock_guard lock(m_mutex);
    TickReport report = m_controller.tick(m_clock.now(), farm);
    for (const auto& event : report.events) spdlog::info("fleet: {}", event);
    for (const auto& error : report.errors) spdlog::warn("fleet: {}", error);
    m_last = report;
    return report;
}

void FleetRunner::note_finished_jobs(Farm& farm) {
    std::map<core::JobId, WallTime> known;
    {
        std::lock_guard lock(m_mutex);
        known = m_job_ended;
    }
    auto ended = finished_jobs(farm, known, m_clock.wall_now());
    std::lock_guard lock(m_mutex);
    m_job_ended = std::move(ended);
}

void FleetRunner::run(ManagerService& service) {
    while (true) {
        FarmSnapshot snapshot = service.with_farm([this](Farm& farm) {
            note_finished_jobs(farm);
            FarmSnapshot s = farm_snapshot(farm);
            s.left_instances = signed_off_instances(farm, m_events_read);
            return s;
        });
        tick(snapshot);
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, m_options.tick_every, [this] { return m_stopping; })) return;
    }
}

int FleetRunner::live_count() const {
    std::lock_guard lock(m_mutex);
    return m_controller.live_count();
}

FleetCost FleetRunner::cost() const {
    std::lock_guard lock(m_mutex);
    return m_controller.cost();
}

nlohmann::json FleetRunner::fleet_json() {
    std::lock_guard lock(m_mutex);
    protocol::FleetSummary fleet{.provider = std::string(m_provider.name()),
                                 .live = m_controller.live_count(),
                                 .wanted = std::nullopt,
                                 .instances = {},
                                 .cost = cost_summary(m_controller.cost()),
                                 .launch_stopped = std::nullopt};
    for (const LedgerEntry& entry : m_controller.ledger().entries()) {
        fleet.instances.push_back({.id = entry.id,
                                   .kind = entry.kind,
                                   .zone = entry.zone,
                                   .interruptible = entry.interruptible,
                                   .running = !entry.to.has_value(),
                                   .usd_per_hour = entry.usd_per_hour,
                                   .detail = entry.detail,
                                   .launched_at = util::format_iso8601_utc(entry.from)});
    }
    fleet.interruptions = m_controller.ledger().interruptions();
    if (m_last) fleet.wanted = m_last->decision.wanted;
    if (!m_controller.launch_stopped_reason().empty())
        fleet.launch_stopped = m_controller.launch_stopped_reason();
    return protocol::to_json(fleet);
}

nlohmann::json FleetRunner::job_cost_json(core::JobId job, std::int64_t created_ms) {
    std::lock_guard lock(m_mutex);
    const auto ended = m_job_ended.find(job);
    const WallTime to = ended != m_job_ended.end() ? ended->second : m_clock.wall_now();
    return protocol::to_json(protocol::JobCost{
        .cost = cost_summary(m_controller.cost_between(from_unix_ms(created_ms), to)),
        .fleet_usd = m_controller.cost().usd,
        .provider = std::string(m_provider.name())});
}

}  // namespace spotfarm::manager
