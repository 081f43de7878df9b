#include "worker/worker_loop.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "util/seconds.h"
#include "util/utf8.h"
#include "worker/saved_identity.h"
#include "worker/task_run.h"

namespace spotfarm::worker {

namespace {

// How long one call may take when leaving with nothing to deliver.
constexpr auto k_courtesy_call = std::chrono::seconds(3);

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

WorkerLoop::WorkerLoop(WorkerConfig config, WorkerServices services)
    : m_config(std::move(config)),
      m_services(services),
      m_drain(services.clock, services.signals, services.watcher, m_config.drain_grace),
      m_backoff(m_config.backoff_base, m_config.backoff_cap, m_config.seed),
      m_task_seed(m_config.seed) {
    if (m_config.time_limit) {
        const auto left = *m_config.time_limit - services.clock.wall_now();
        m_drain.set_time_limit(
            services.clock.now() + std::chrono::duration_cast<util::Clock::duration>(left),
            m_config.report_margin);
    }
}

std::optional<std::int64_t> WorkerLoop::worker_id() const {
    if (!m_registration) return std::nullopt;
    return m_registration->id;
}

util::Status WorkerLoop::run() {
    if (auto started = start(); !started) return started;
    while (true) {
        m_drain.update();
        // Without a registration only a drain that began while registering brings us here.
        if (m_drain.draining() || !m_registration) return leave();
        auto delivered = deliver_outbox();
        if (!delivered) return delivered.error();
        if (!m_registration) continue;  // registering anew was cut short by a drain
        if (auto step = claim_and_run(); !step) return step;
    }
}

util::Status WorkerLoop::start() {
    if (!m_config.state_dir.empty()) {
        auto saved = load_identity(m_config.state_dir);
        if (!saved) {
            spdlog::warn("ignoring the saved registration: {}", saved.error().message);
        } else if (*saved && (*saved)->manager == m_config.manager) {
            m_registration = (*saved)->registration;
            m_services.manager.use_worker_secret(m_registration->secret);
            spdlog::info("resuming as worker {} (registration saved in {})", m_registration->id,
                         m_config.state_dir.string());
            return {};
        }
    }
    return register_anew();
}

util::Status WorkerLoop::register_anew() {
    m_registration.reset();
    m_identity_confirmed = false;
    while (true) {
        m_drain.update();
        if (m_drain.draining()) return {};  // nothing held yet: leave() has nothing to give back
        auto registered = m_services.manager.register_worker(m_config.info);
        if (!registered) {
            if (!is_retryable(registered.error())) return registered.error();
            if (auto waited = wait_after_failure(registered.error()); !waited) return waited;
            continue;
        }
        contact_ok();
        m_registration = *registered;
        m_identity_confirmed = true;
        m_services.manager.use_worker_secret(m_registration->secret);
        spdlog::info("registered as worker {} ({}, {} cores, {} MiB)", m_registration->id,
                     m_config.info.name, m_config.info.cores, m_config.info.memory_mb);
        if (!m_config.state_dir.empty()) {
            auto saved = save_identity(m_config.state_dir, {m_config.manager, *m_registration});
            if (!saved) spdlog::warn("cannot save the registration: {}", saved.error().message);
        }
        return {};
    }
}

bool WorkerLoop::try_fresh_identity(const util::Error& error) {
    if (m_identity_confirmed ||
        (error.kind != util::ErrorKind::unauthorized && error.kind != util::ErrorKind::not_found)) {
        return false;
    }
    spdlog::warn("the manager no longer knows worker {} ({}); registering anew",
                 m_registration ? m_registration->id : 0, error.message);
    if (!m_config.state_dir.empty()) (void)forget_identity(m_config.state_dir);
    return true;
}

util::Status WorkerLoop::claim_and_run() {
    std::chrono::seconds wait = m_config.claim_wait;
    if (m_services.watcher) {
        // A notice must not wait behind a long poll.
        wait = std::min(wait, 2 * m_services.watcher->interval());
    }
    protocol::ClaimRequest request{m_services.renderer.warm_job(), m_config.refuse_scripts};
    auto claimed = m_services.manager.claim(m_registration->id, request, wait);
    if (!claimed) {
        const util::Error& error = claimed.error();
        if (is_retryable(error)) return wait_after_failure(error);
        if (try_fresh_identity(error) || error.kind == util::ErrorKind::not_found)
            return register_anew();
        return error;
    }
    contact_ok();
    m_identity_confirmed = true;
    if (auto* task = std::get_if<protocol::Assignment>(&*claimed)) return run_assignment(*task);
    if (auto* unreadable = std::get_if<UnreadableTask>(&*claimed)) {
        refuse_assignment(*unreadable);
    }
    return {};
}

void WorkerLoop::refuse_assignment(const UnreadableTask& task) {
    spdlog::error("task {}: {}; failing it", task.attempt.task_id, task.reason);
    ++m_summary.tasks_failed;
    keep_report(
        task.attempt.task_id,
        protocol::FailReport{m_registration->id, task.attempt.attempt_id, task.reason, {}, {}});
}

util::Status WorkerLoop::run_assignment(const protocol::Assignment& task) {
    m_drain.update();
    if (m_drain.draining()) {
        // Claimed as the stop came: give it straight back.
        spdlog::info("task {}: claimed while leaving; giving it back", task.task_id);
        ++m_summary.tasks_released;
        keep_report(task.task_id, protocol::ReleaseReport{
                                      m_registration->id, task.attempt_id, m_drain.reason(), {}});
        return {};
    }
    if (m_config.refuse_scripts && task.job.allow_scripts.value_or(false)) {
        spdlog::warn("task {}: job {} lets its scene run scripts, which this worker refuses",
                     task.task_id, task.job_id);
        ++m_summary.tasks_failed;
        keep_report(task.task_id, protocol::FailReport{
                                      m_registration->id,
                                      task.attempt_id,
                                      "worker refuses jobs with allow_scripts (--refuse-scripts)",
                                      {},
                                      {}});
        return {};
    }
    TaskContext context{
        m_services.manager,     m_services.renderer,
        m_services.clock,       m_drain,
        m_registration->id,     std::chrono::seconds(m_registration->heartbeat_seconds),
        m_config.report_margin, m_task_seed++,
        m_services.trees,       &m_services.sleeper};
    TaskEnd end;
    try {
        end = run_task(task, context);
    } catch (const std::exception& e) {
        // One task's trouble must never end the worker: the task fails with the reason and goes
        // back to the manager, and the worker claims the next one.
        spdlog::error("task {}: {}", task.task_id, e.what());
        end = TaskEnd{
            TaskEnd::Kind::report,
            Report(protocol::FailReport{
                m_registration->id,
                task.attempt_id,
                util::valid_utf8(std::string("the worker could not handle the task: ") + e.what()),
                {},
                {}}),
            {}};
    }
    switch (end.kind) {
        case TaskEnd::Kind::fatal:
            return end.error;
        case TaskEnd::Kind::abandoned:
            ++m_summary.tasks_dropped;
            return {};
        case TaskEnd::Kind::report:
            break;
    }
    std::visit(Overloaded{
                   [&](const protocol::CompleteReport&) { ++m_summary.tasks_completed; },
                   [&](const protocol::FailReport&) { ++m_summary.tasks_failed; },
                   [&](const protocol::ReleaseReport&) { ++m_summary.tasks_released; },
               },
               *end.report);
    keep_report(task.task_id, std::move(*end.report));
    return {};
}

void WorkerLoop::keep_report(std::int64_t task_id, Report report) {
    try {
        keep_report_or_throw(task_id, std::move(report));
    } catch (const std::exception& e) {
        // Lost, but the worker goes on: the lease runs out and the task is rendered again.
        spdlog::error("task {}: report lost ({}); the task will be rendered again", task_id,
                      e.what());
    }
}

void WorkerLoop::keep_report_or_throw(std::int64_t task_id, Report report) {
    auto kept = m_services.outbox.add(task_id, report);
    if (kept) return;
    // Without a disk to keep it on, one direct try is all there is; if that fails too the lease
    // runs out and the task is rendered again elsewhere.
    spdlog::error("{}; sending the report directly", kept.error().message);
    PendingReport direct{0, task_id, std::move(report)};
    if (auto sent = send(direct); !sent) {
        spdlog::error("task {}: report lost ({}); the task will be rendered again", task_id,
                      sent.error().message);
    }
}

util::Status WorkerLoop::send(const PendingReport& p) {
    ManagerApi& manager = m_services.manager;
    return std::visit(
        Overloaded{
            [&](const protocol::CompleteReport& r) { return manager.complete(p.task_id, r); },
            [&](const protocol::FailReport& r) { return manager.fail(p.task_id, r); },
            [&](const protocol::ReleaseReport& r) { return manager.release(p.task_id, r); },
        },
        p.report);
}

util::Result<bool> WorkerLoop::deliver_outbox() {
    Outbox& outbox = m_services.outbox;
    while (!outbox.empty()) {
        const PendingReport p = outbox.pending().front();
        const std::int64_t writer = report_worker_id(p.report);
        if (!m_registration || writer != m_registration->id) {
            spdlog::warn(
                "outbox: the {} report of task {} was written by worker {}, whose "
                "registration the manager no longer accepts; setting it aside",
                report_kind(p.report), p.task_id, writer);
            ++m_summary.reports_refused;
            (void)outbox.set_aside(p.seq, "written by an earlier registration of this worker");
            continue;
        }
        auto sent = send(p);
        if (sent) {
            contact_ok();
            m_identity_confirmed = true;
            if (auto removed = outbox.remove(p.seq); !removed) {
                // Sent again at the next start at worst, which the manager takes as a repeat.
                spdlog::warn("outbox: {}", removed.error().message);
            }
            continue;
        }
        const util::Error& error = sent.error();
        if (is_retryable(error)) {
            if (!m_unreachable_since) spdlog::warn("{}", error.message);
            m_unreachable_since = m_unreachable_since.value_or(m_services.clock.now());
            return false;
        }
        if (try_fresh_identity(error)) {
            if (auto registered = register_anew(); !registered) return registered.error();
            if (!m_registration) return false;  // left while registering
            continue;  // this report is set aside above: its writer is gone
        }
        if (error.kind == util::ErrorKind::unauthorized) return error;
        spdlog::warn(
            "outbox: the manager refused the {} report of task {}: {}; setting it "
            "aside in {}",
            report_kind(p.report), p.task_id, error.message, outbox.refused_dir().string());
        ++m_summary.reports_refused;
        (void)outbox.set_aside(p.seq, error.message);
    }
    return true;
}

util::Status WorkerLoop::wait_after_failure(const util::Error& error) {
    const auto now = m_services.clock.now();
    if (!m_unreachable_since) {
        m_unreachable_since = now;
        spdlog::warn("{}; trying again with back-off", error.message);
    }
    const auto silent = now - *m_unreachable_since;
    if (m_config.give_up_after > util::Clock::duration::zero() &&
        silent >= m_config.give_up_after) {
        std::string waiting;
        if (!m_services.outbox.empty()) {
            waiting = "; " + std::to_string(m_services.outbox.pending().size()) +
                      " finished reports wait in " + m_services.outbox.dir().string() +
                      " and are delivered when a worker starts again with this state folder";
        }
        return util::make_error("the manager has not answered for " +
                                    std::to_string(util::whole_seconds(silent)) +
                                    " s (last: " + error.message + "); giving up" + waiting,
                                util::ErrorKind::unavailable);
    }
    m_services.sleeper.sleep_for(m_backoff.next());
    return {};
}

void WorkerLoop::contact_ok() {
    if (m_unreachable_since) {
        spdlog::info("the manager answers again after {} s",
                     util::whole_seconds(m_services.clock.now() - *m_unreachable_since));
    }
    m_unreachable_since.reset();
    m_backoff.reset();
}

template <class Call>
util::Result<bool> WorkerLoop::retry_until(util::Clock::time_point until, Call call) {
    while (true) {
        util::Status done = call();
        if (done) {
            contact_ok();
            return true;
        }
        if (!is_retryable(done.error())) return done.error();
        const auto now = m_services.clock.now();
        if (now >= until) return false;
        m_services.sleeper.sleep_for(std::min(m_backoff.next(), until - now));
    }
}

util::Status WorkerLoop::leave() {
    const protocol::LeaveReason reason = m_drain.reason();
    if (m_services.trees) m_services.trees->remove_all();  // nothing renders any more
    if (!m_registration) {
        spdlog::info("leaving before registering: nothing to give back");
        return {};
    }
    const auto now = m_services.clock.now();
    const auto deadline = m_drain.deadline().value_or(now + m_config.leave_time);
    // Finished frames are worth waiting for the manager, up to the deadline. Without them, the
    // drain and the sign-off only tell it what its leases will tell it anyway: one try each, so
    // a worker whose manager is gone exits at once instead of billing the whole grace.
    const std::size_t waiting = m_services.outbox.pending().size();
    const auto until = waiting > 0 ? deadline : now;
    if (waiting > 0) {
        spdlog::info("leaving ({}): {} s to deliver {} report(s)", protocol::to_string(reason),
                     util::whole_seconds(std::max(until - now, util::Clock::duration::zero())),
                     waiting);
    } else {
        spdlog::info("leaving ({}): nothing to deliver", protocol::to_string(reason));
    }
    // No single call may outlast the time left (a manager whose host is gone answers nothing).
    auto limit_calls = [&] {
        const auto left = waiting > 0 ? until - m_services.clock.now() : k_courtesy_call;
        m_services.manager.limit_call_time(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::max<util::Clock::duration>(left, std::chrono::seconds(1))));
    };

    auto delivered = retry_until(until, [&]() -> util::Status {
        limit_calls();
        auto done = deliver_outbox();
        if (!done) return done.error();
        if (!*done) return util::make_error("manager out of reach", util::ErrorKind::unavailable);
        return {};
    });
    if (!delivered) return delivered.error();
    if (!m_registration) return {};  // the saved identity was refused while leaving
    if (!m_services.outbox.empty()) {
        return util::make_error(
            "left without reaching the manager: " +
                std::to_string(m_services.outbox.pending().size()) + " finished reports wait in " +
                m_services.outbox.dir().string() +
                " and are delivered when a worker starts again with this state folder",
            util::ErrorKind::unavailable);
    }

    const std::int64_t id = m_registration->id;
    auto drained = retry_until(until, [&]() -> util::Status {
        limit_calls();
        auto answer = m_services.manager.drain(id, protocol::DrainRequest{reason, true});
        if (!answer) return answer.error();
        if (!answer->returned_tasks.empty()) {
            spdlog::info("the manager took back {} task(s)", answer->returned_tasks.size());
        }
        return {};
    });
    if (!drained && drained.error().kind == util::ErrorKind::unauthorized) return drained.error();
    if (drained && !*drained) {
        spdlog::warn(
            "the manager is out of reach; leaving without signing off (its leases "
            "tell it the worker is gone)");
        return {};
    }
    if (!drained) spdlog::warn("drain: {}", drained.error().message);

    auto signed_off = retry_until(until, [&]() {
        limit_calls();
        return m_services.manager.sign_off(id, protocol::SignOffRequest{reason});
    });
    if (signed_off && *signed_off) {
        if (!m_config.state_dir.empty()) (void)forget_identity(m_config.state_dir);
        spdlog::info("signed off ({} tasks completed, {} given back)", m_summary.tasks_completed,
                     m_summary.tasks_released);
    } else {
        spdlog::warn("could not sign off; the manager will notice the worker is gone");
    }
    return {};
}

}  // namespace spotfarm::worker
