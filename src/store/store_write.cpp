// Store::commit: every row one scheduler transition touched, in one transaction.
#include <SQLiteCpp/Transaction.h>

#include "store/connection.h"
#include "store/json_columns.h"
#include "store/store.h"

namespace spotfarm::store {
namespace {

using core::TaskStatus;

// Binds the values in order and runs the statement once.
template <class... Values>
void run(SQLite::Statement& statement, const Values&... values) {
    statement.reset();
    int index = 0;
    (statement.bind(++index, values), ...);
    statement.exec();
}

std::string text(std::string_view s) {
    return std::string(s);
}

void insert_job(Store::Connection& c, const core::Job& job, std::span<const core::Task> tasks) {
    run(c.insert_job, job.id.value, job.name, text(to_string(job.status)), job.priority,
        job.created_ms, job.frames.to_string(), job.chunk, job.scene, job.output, job.settings,
        job.message, job.count(TaskStatus::queued), job.count(TaskStatus::active),
        job.count(TaskStatus::completed), job.count(TaskStatus::failed),
        job.count(TaskStatus::canceled), counts_to_json(job.worker_failures));
    // A new job's tasks are all queued, and a million of them must go in within seconds.
    std::size_t i = 0;
    for (; i + k_task_batch <= tasks.size(); i += k_task_batch) {
        c.insert_tasks.reset();
        for (int k = 0; k < k_task_batch; ++k) {
            const core::Task& task = tasks[i + static_cast<std::size_t>(k)];
            c.insert_tasks.bind(3 * k + 1, task.id.value);
            c.insert_tasks.bind(3 * k + 2, job.id.value);
            c.insert_tasks.bind(3 * k + 3, task.frames.to_string());
        }
        c.insert_tasks.exec();
    }
    for (; i < tasks.size(); ++i) {
        run(c.insert_task, tasks[i].id.value, job.id.value, tasks[i].frames.to_string());
    }
}

void update_job(Store::Connection& c, const core::Job& job) {
    run(c.update_job, text(to_string(job.status)), job.priority, job.message,
        job.count(TaskStatus::queued), job.count(TaskStatus::active),
        job.count(TaskStatus::completed), job.count(TaskStatus::failed),
        job.count(TaskStatus::canceled), counts_to_json(job.worker_failures), job.id.value);
}

void update_task(Store::Connection& c, const core::Task& task) {
    run(c.update_task, text(to_string(task.status)), task.worker.value, task.lease_deadline_ms,
        task.attempt.value, task.attempt_started_ms, task.attempts, ids_to_json(task.failed_on),
        task.id.value);
}

void insert_worker(Store::Connection& c, const core::Worker& w) {
    run(c.insert_worker, w.id.value, w.info.name, w.info.host, w.info.cores, w.info.memory_bytes,
        strings_to_json(w.info.gpus), w.info.blender_version, strings_to_json(w.info.tags),
        w.secret_hash, text(to_string(w.status)), w.registered_ms, w.last_seen_ms);
}

void write(Store::Connection& c, const core::Changes& changes, const core::Scheduler& state) {
    for (core::JobId id : changes.inserted_jobs) {
        if (const core::Job* job = state.find_job(id)) insert_job(c, *job, state.tasks_of(id));
    }
    for (core::WorkerId id : changes.inserted_workers) {
        if (const core::Worker* worker = state.find_worker(id)) insert_worker(c, *worker);
    }
    for (const core::AttemptEnd& a : changes.ended_attempts) {
        if (a.recorded) {
            run(c.revise_attempt, a.time_ms, text(to_string(a.outcome)), a.error, a.log_tail,
                results_to_json(a.results), a.task.value, a.id.value);
        } else {
            run(c.insert_attempt, a.task.value, a.id.value, a.job.value, a.worker.value,
                a.started_ms, a.time_ms, text(to_string(a.outcome)), a.error, a.log_tail,
                results_to_json(a.results));
        }
    }
    for (core::TaskId id : changes.updated_tasks) {
        if (const core::Task* task = state.find_task(id)) update_task(c, *task);
    }
    for (core::JobId id : changes.updated_jobs) {
        if (const core::Job* job = state.find_job(id)) update_job(c, *job);
    }
    for (core::WorkerId id : changes.updated_workers) {
        if (const core::Worker* w = state.find_worker(id)) {
            run(c.update_worker, text(to_string(w->status)), w->last_seen_ms, id.value);
        }
    }
    for (const core::Event& e : changes.events) {
        run(c.insert_event, e.id.value, e.time_ms, e.kind, e.job.value, e.task.value,
            e.worker.value, e.message);
    }
    for (const core::DeletedJob& job : changes.deleted_jobs) {
        run(c.delete_attempts, job.first_task.value, job.last_task.value);
        run(c.delete_tasks, job.first_task.value, job.last_task.value);
        run(c.delete_job, job.id.value);
        run(c.delete_frame_files, job.id.value);
    }
}

}  // namespace

util::Status Store::begin_batch() {
    if (m_in_batch) return {};
    try {
        m_c->db.exec("BEGIN IMMEDIATE");
        m_in_batch = true;
        return {};
    } catch (const std::exception& e) {
        return util::make_error("cannot save the farm's state to " + m_file.string() + ": " +
                                e.what());
    }
}

util::Status Store::end_batch() {
    if (!m_in_batch) return {};
    try {
        m_c->db.exec("COMMIT");
        m_in_batch = false;
        return {};
    } catch (const std::exception& e) {
        abort_batch();
        return util::make_error("cannot save the farm's state to " + m_file.string() + ": " +
                                e.what() + " (is the disk full or the file read-only?)");
    }
}

void Store::abort_batch() {
    if (!m_in_batch) return;
    m_in_batch = false;
    try {
        m_c->db.exec("ROLLBACK");
    } catch (const std::exception&) {
        // Nothing was committed; a failed rollback leaves the same saved state behind.
    }
}

util::Status Store::commit(const core::Changes& changes, const core::Scheduler& state) {
    if (changes.empty()) return {};
    try {
        if (m_in_batch) {
            write(*m_c, changes, state);
            return {};
        }
        SQLite::Transaction transaction(m_c->db, SQLite::TransactionBehavior::IMMEDIATE);
        write(*m_c, changes, state);
        transaction.commit();
        return {};
    } catch (const std::exception& e) {
        return util::make_error("cannot save the farm's state to " + m_file.string() + ": " +
                                e.what() + " (is the disk full or the file read-only?)");
    }
}

}  // namespace spotfarm::store
