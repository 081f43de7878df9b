// Farm: transitions. Reads (list/show) are in farm_queries.cpp.
#include "manager/farm.h"

#include <algorithm>

#include "core/errors.h"
#include "manager/job_scripts.h"
#include "manager/job_warnings.h"
#include "manager/worker_credentials.h"
#include "util/seconds.h"

namespace spotfarm::manager {
namespace {

constexpr std::size_t k_max_error = 4 * 1024;
constexpr std::size_t k_max_log_tail = 16 * 1024;
constexpr std::size_t k_max_progress_message = 256;

// Keeps the end of a log, where the cause of a failure usually is.
std::string tail_of(std::string text, std::size_t limit) {
    if (text.size() > limit) text.erase(0, text.size() - limit);
    return text;
}

}  // namespace

Farm::Farm(const util::Clock& clock, core::SchedulerPolicy policy,
           std::unique_ptr<store::Store> store)
    : m_clock(clock),
      m_policy(policy),
      m_store(std::move(store)),
      m_warnings(std::make_unique<JobWarnings>()) {}

Farm::~Farm() = default;

util::Result<std::unique_ptr<Farm>> Farm::open(const std::filesystem::path& database,
                                               const util::Clock& clock,
                                               core::SchedulerPolicy policy) {
    auto store = store::Store::open(database);
    if (!store) return util::make_error(store.error().message, util::ErrorKind::storage);
    std::unique_ptr<Farm> farm(new Farm(clock, policy, std::move(store).value()));
    if (auto loaded = farm->reload(); !loaded) return loaded.error();
    return farm;
}

util::Status Farm::reload() {
    auto records = m_store->load();
    if (!records) return util::make_error(records.error().message, util::ErrorKind::storage);
    auto warned = m_store->results_with_warnings();
    if (!warned) return util::make_error(warned.error().message, util::ErrorKind::storage);
    for (auto& record : records->jobs) {
        record.job.allow_scripts = settings_allow_scripts(record.job.settings);
    }
    auto scheduler = std::make_unique<core::Scheduler>(m_clock, m_policy);
    if (auto restored = scheduler->restore(std::move(records).value()); !restored) {
        return util::make_error("the state database " + m_store->file().string() +
                                    " is inconsistent: " + restored.error().message,
                                util::ErrorKind::storage);
    }
    m_scheduler = std::move(scheduler);
    m_warnings->clear();
    for (const auto& [job, results] : *warned) m_warnings->add(job, results);
    m_progress.clear();
    return {};
}

void Farm::batch_commits(std::function<void()> schedule_flush) {
    m_schedule_flush = std::move(schedule_flush);
}

util::Status Farm::flush() {
    if (m_batch_lost) {
        // Callers of the lost transitions and of any since wait for this answer together: drop
        // the later ones too, so that what they are told is what was saved.
        m_batch_lost = false;
        if (m_unflushed) {
            m_store->abort_batch();
            m_unflushed = false;
            (void)reload();
        }
        return util::make_error(
            "the farm's state could not be saved; nothing since the last "
            "save was kept",
            util::ErrorKind::storage);
    }
    if (!m_unflushed) return {};
    m_unflushed = false;
    if (auto saved = m_store->end_batch(); !saved) {
        std::string message = saved.error().message;
        if (auto reloaded = reload(); !reloaded) {
            message +=
                "; reading the last saved state back failed too: " + reloaded.error().message;
        }
        return util::make_error(std::move(message), util::ErrorKind::storage);
    }
    return {};
}

util::Status Farm::write_batched(const std::function<util::Status()>& write, bool batched) {
    util::Status saved;
    if (m_schedule_flush && batched) {
        if (!m_unflushed) saved = m_store->begin_batch();
        if (saved) {
            if (!m_unflushed) {
                m_unflushed = true;
                m_schedule_flush();
            }
            saved = write();
        }
        if (!saved) {
            // The whole batch goes: the transitions before this one were not answered yet.
            m_store->abort_batch();
            m_batch_lost = m_unflushed;
            m_unflushed = false;
        }
    } else {
        saved = write();
    }
    if (!saved) {
        std::string message = saved.error().message;
        if (auto reloaded = reload(); !reloaded) {
            message +=
                "; reading the last saved state back failed too: " + reloaded.error().message;
        }
        return util::make_error(std::move(message), util::ErrorKind::storage);
    }
    return {};
}

util::Status Farm::persist(const core::Changes& changes) {
    auto commit = [&] { return m_store->commit(changes, *m_scheduler); };
    // A transition that changed nothing need not open a batch.
    if (auto saved = write_batched(commit, !changes.empty()); !saved) return saved;
    if (!m_progress.empty()) {
        for (core::TaskId id : changes.updated_tasks) {
            const core::Task* task = m_scheduler->find_task(id);
            if (task == nullptr || task->status != core::TaskStatus::active) m_progress.erase(id);
        }
    }
    if (m_on_attempt_ended) {
        for (const core::AttemptEnd& end : changes.ended_attempts) m_on_attempt_ended(end);
    }
    if (m_on_event) {
        for (const core::Event& event : changes.events) m_on_event(event);
    }
    if (changes.work_queued && m_on_work) m_on_work();
    if (m_on_changes && !changes.empty()) m_on_changes(changes);
    return {};
}

template <class Transition>
auto Farm::run(Transition&& transition) -> decltype(transition(std::declval<core::Changes&>())) {
    core::Changes changes;
    auto result = transition(changes);
    if (auto saved = persist(changes); !saved) return saved.error();
    return result;
}

double Farm::seconds_left(util::Clock::time_point deadline) const {
    return std::max(0.0, util::seconds_between(m_clock.now(), deadline));
}

// --- workers
// --------------------------------------------------------------------------------------

util::Result<WorkerCredentials> Farm::register_worker(core::WorkerInfo info) {
    auto secret = new_worker_secret();
    if (!secret) return secret.error();
    auto id = run([&](core::Changes& c) -> util::Result<core::WorkerId> {
        return m_scheduler->register_worker(std::move(info), hash_worker_secret(*secret), c);
    });
    if (!id) return id.error();
    return WorkerCredentials{*id, std::move(secret).value()};
}

bool Farm::authenticate_worker(core::WorkerId worker, std::string_view secret) const {
    const core::Worker* w = m_scheduler->find_worker(worker);
    return w != nullptr && worker_secret_matches(secret, w->secret_hash);
}

util::Result<std::optional<Assignment>> Farm::claim(core::WorkerId worker,
                                                    std::optional<core::JobId> warm,
                                                    core::ClaimLimits limits) {
    auto claimed =
        run([&](core::Changes& c) { return m_scheduler->claim(worker, warm, c, limits); });
    if (!claimed) return claimed.error();
    if (!*claimed) return std::optional<Assignment>{};
    const core::Task& task = *m_scheduler->find_task(**claimed);
    const core::Job& job = *m_scheduler->find_job(task.job);
    return std::optional<Assignment>{Assignment{task.id, job.id, task.attempt, task.frames,
                                                job.scene, job.output, job.settings,
                                                seconds_left(task.lease_deadline)}};
}

util::Status Farm::check_attempt(core::TaskId task_id, core::WorkerId worker,
                                 core::AttemptId attempt) {
    const core::Task* task = m_scheduler->find_task(task_id);
    if (task == nullptr) return core::not_found("no task " + task_id.to_string());
    std::optional<core::AttemptId> latest;
    if (task->worker == worker && task->attempt.valid()) {
        latest = task->attempt;
    } else {
        // The worker's earlier attempts ended; the scheduler keeps only the latest of each task.
        auto stored = m_store->latest_attempt(task_id, worker);
        if (!stored) return util::make_error(stored.error().message, util::ErrorKind::storage);
        latest = *stored;
    }
    if (latest == attempt) return {};
    return core::conflict(
        "attempt " + attempt.to_string() + " is not worker " + worker.to_string() +
        "'s latest attempt at task " + task_id.to_string() +
        (latest ? " (that is attempt " + latest->to_string() + ")" : " (it never held the task)") +
        ": the report is refused and changes nothing");
}

util::Result<HeartbeatAnswer> Farm::heartbeat(core::TaskId task, core::WorkerId worker,
                                              Progress progress) {
    auto beat = run([&](core::Changes& c) { return m_scheduler->heartbeat(task, worker, c); });
    if (!beat) return beat.error();
    HeartbeatAnswer answer;
    answer.keep_going = beat->reply == core::HeartbeatReply::keep_going;
    answer.reason = beat->reason;
    if (answer.keep_going) {
        progress.fraction = std::clamp(progress.fraction, 0.0, 1.0);
        if (progress.message.size() > k_max_progress_message) {
            progress.message.resize(k_max_progress_message);
        }
        m_progress[task] = std::move(progress);
        answer.lease_seconds = seconds_left(m_scheduler->find_task(task)->lease_deadline);
    }
    return answer;
}

util::Result<core::CompleteOutcome> Farm::complete(core::TaskId task_id, core::WorkerId worker,
                                                   std::vector<core::FrameResult> results) {
    const core::Task* task = m_scheduler->find_task(task_id);
    if (task == nullptr) return core::not_found("no task " + task_id.to_string());
    // Late results: find the worker's own attempt, which the scheduler does not keep.
    std::optional<core::AttemptId> late;
    const bool holds_lease = task->status == core::TaskStatus::active && task->worker == worker;
    if (task->status != core::TaskStatus::completed && !holds_lease) {
        auto latest = m_store->latest_attempt(task_id, worker);
        if (!latest) return util::make_error(latest.error().message, util::ErrorKind::storage);
        late = *latest;
    }
    const core::JobId job = task->job;
    std::vector<core::FrameResult> warned;
    for (const core::FrameResult& r : results)
        if (!r.warnings.empty()) warned.push_back(r);
    auto outcome = run([&](core::Changes& c) {
        return m_scheduler->complete(task_id, worker, std::move(results), late, c);
    });
    if (outcome && *outcome == core::CompleteOutcome::accepted) m_warnings->add(job, warned);
    return outcome;
}

util::Result<core::FailOutcome> Farm::fail(core::TaskId task, core::WorkerId worker,
                                           std::string error, std::string log_tail) {
    if (error.size() > k_max_error) error.resize(k_max_error);
    log_tail = tail_of(std::move(log_tail), k_max_log_tail);
    return run([&](core::Changes& c) {
        return m_scheduler->fail(task, worker, std::move(error), std::move(log_tail), c);
    });
}

util::Result<std::vector<core::TaskId>> Farm::drain(core::WorkerId worker) {
    return run([&](core::Changes& c) { return m_scheduler->drain(worker, c); });
}

util::Result<bool> Farm::release(core::TaskId task_id, core::WorkerId worker,
                                 std::vector<core::FrameResult> finished) {
    const core::Task* task = m_scheduler->find_task(task_id);
    if (task == nullptr) return core::not_found("no task " + task_id.to_string());
    const bool holds = task->status == core::TaskStatus::active && task->worker == worker;
    if (holds && !finished.empty() && core::validate_results(*task, finished)) {
        auto completed = complete(task_id, worker, std::move(finished));
        if (!completed) return completed.error();
        return true;
    }
    return run([&](core::Changes& c) { return m_scheduler->release(task_id, worker, c); });
}

util::Result<std::vector<core::TaskId>> Farm::sign_off(core::WorkerId worker) {
    return run([&](core::Changes& c) { return m_scheduler->sign_off(worker, c); });
}

util::Result<ReapReport> Farm::reap(util::Clock::time_point now) {
    return run([&](core::Changes& c) -> util::Result<ReapReport> {
        m_scheduler->reap(now, c);
        ReapReport report;
        for (const core::AttemptEnd& end : c.ended_attempts) {
            if (end.outcome == core::AttemptOutcome::lease_expired) ++report.leases_expired;
        }
        for (core::WorkerId id : c.updated_workers) {
            const core::Worker* w = m_scheduler->find_worker(id);
            if (w != nullptr && w->status == core::WorkerStatus::offline) ++report.workers_offline;
        }
        return report;
    });
}

// --- jobs
// -----------------------------------------------------------------------------------------

util::Result<core::JobId> Farm::submit(core::JobSpec spec) {
    spec.allow_scripts = spec.allow_scripts || settings_allow_scripts(spec.settings);
    return run([&](core::Changes& c) { return m_scheduler->submit(std::move(spec), c); });
}

util::Status Farm::cancel(core::JobId job) {
    return run([&](core::Changes& c) { return m_scheduler->cancel(job, c); });
}

util::Status Farm::pause(core::JobId job) {
    return run([&](core::Changes& c) { return m_scheduler->pause(job, c); });
}

util::Status Farm::set_priority(core::JobId job, int priority) {
    return run([&](core::Changes& c) { return m_scheduler->set_priority(job, priority, c); });
}

util::Status Farm::resume(core::JobId job) {
    return run([&](core::Changes& c) { return m_scheduler->resume(job, c); });
}

util::Status Farm::requeue_failed(core::JobId job) {
    return run([&](core::Changes& c) { return m_scheduler->requeue_failed(job, c); });
}

util::Status Farm::delete_job(core::JobId job) {
    auto removed = run([&](core::Changes& c) { return m_scheduler->remove(job, c); });
    if (removed) m_warnings->erase(job);
    return removed;
}

void Farm::on_work_available(std::function<void()> callback) {
    m_on_work = std::move(callback);
}

void Farm::on_event(std::function<void(const core::Event&)> callback) {
    m_on_event = std::move(callback);
}

void Farm::on_attempt_ended(std::function<void(const core::AttemptEnd&)> callback) {
    m_on_attempt_ended = std::move(callback);
}

void Farm::on_changes(std::function<void(const core::Changes&)> callback) {
    m_on_changes = std::move(callback);
}

}  // namespace spotfarm::manager
