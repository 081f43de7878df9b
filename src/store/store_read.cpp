// Reading the store: the whole state at start-up, and the history people look at.
#include <algorithm>
#include <unordered_map>

#include "store/connection.h"
#include "store/json_columns.h"
#include "store/store.h"

namespace spotfarm::store {
namespace {

std::string column_text(SQLite::Statement& q, int i) {
    return q.getColumn(i).getString();
}
std::int64_t column_int(SQLite::Statement& q, int i) {
    return q.getColumn(i).getInt64();
}

template <class T>
T parse_or_throw(std::optional<T> parsed, const std::string& what, const std::string& text) {
    if (!parsed) throw std::runtime_error("unknown " + what + " '" + text + "'");
    return *parsed;
}

void load_jobs(SQLite::Database& db, core::SchedulerRecords& records) {
    SQLite::Statement q(db,
                        "SELECT id, name, status, priority, created_ms, frames, chunk, scene,"
                        " output, settings, message, worker_failures,"
                        " queued + active + completed + failed + canceled FROM jobs ORDER BY id");
    while (q.executeStep()) {
        core::Job job;
        job.id = core::JobId(column_int(q, 0));
        job.name = column_text(q, 1);
        std::string status = column_text(q, 2);
        job.status = parse_or_throw(core::parse_job_status(status), "job status", status);
        job.priority = q.getColumn(3).getInt();
        job.created_ms = column_int(q, 4);
        std::string frames = column_text(q, 5);
        auto parsed = core::FrameSet::parse(frames);
        if (!parsed) throw std::runtime_error("job " + job.id.to_string() + ": " + frames);
        job.frames = std::move(parsed).value();
        job.chunk = q.getColumn(6).getInt();
        job.scene = column_text(q, 7);
        job.output = column_text(q, 8);
        job.settings = column_text(q, 9);
        job.message = column_text(q, 10);
        job.worker_failures = counts_from_json(column_text(q, 11));
        records.jobs.push_back({std::move(job), {}});
        // The saved counts only size the task list; the scheduler counts the tasks themselves.
        records.jobs.back().tasks.reserve(static_cast<std::size_t>(std::max<std::int64_t>(
            0, std::min<std::int64_t>(column_int(q, 12), core::k_max_frames))));
    }
}

void load_tasks(SQLite::Database& db, core::SchedulerRecords& records) {
    std::unordered_map<std::int64_t, std::size_t> job_index;
    for (std::size_t i = 0; i < records.jobs.size(); ++i) {
        job_index[records.jobs[i].job.id.value] = i;
    }
    SQLite::Statement q(db,
                        "SELECT id, job_id, frames, status, worker_id, attempt_id, attempts,"
                        " failed_on, attempt_started_ms FROM tasks ORDER BY id");
    std::int64_t current_job = 0;
    std::vector<core::Task>* tasks = nullptr;
    while (q.executeStep()) {
        core::Task task;
        task.id = core::TaskId(column_int(q, 0));
        task.job = core::JobId(column_int(q, 1));
        if (task.job.value != current_job) {
            auto it = job_index.find(task.job.value);
            if (it == job_index.end()) continue;  // a task whose job is gone: nothing to run
            current_job = task.job.value;
            tasks = &records.jobs[it->second].tasks;
        }
        std::string frames = column_text(q, 2);
        auto parsed = core::FrameSet::parse(frames);
        if (!parsed) throw std::runtime_error("task " + task.id.to_string() + ": " + frames);
        task.frames = std::move(parsed).value();
        std::string status = column_text(q, 3);
        task.status = parse_or_throw(core::parse_task_status(status), "task status", status);
        task.worker = core::WorkerId(column_int(q, 4));
        task.attempt = core::AttemptId(column_int(q, 5));
        task.attempts = q.getColumn(6).getInt();
        std::string failed_on = column_text(q, 7);
        if (failed_on != "[]") task.failed_on = ids_from_json(failed_on);
        task.attempt_started_ms = column_int(q, 8);
        tasks->push_back(std::move(task));
    }
}

void load_workers(SQLite::Database& db, core::SchedulerRecords& records) {
    SQLite::Statement q(db,
                        "SELECT id, name, host, cores, memory_bytes, gpus, blender_version, tags,"
                        " secret_hash, status, registered_ms, last_seen_ms FROM workers"
                        " ORDER BY id");
    while (q.executeStep()) {
        core::Worker w;
        w.id = core::WorkerId(column_int(q, 0));
        w.info.name = column_text(q, 1);
        w.info.host = column_text(q, 2);
        w.info.cores = q.getColumn(3).getInt();
        w.info.memory_bytes = column_int(q, 4);
        w.info.gpus = strings_from_json(column_text(q, 5));
        w.info.blender_version = column_text(q, 6);
        w.info.tags = strings_from_json(column_text(q, 7));
        w.secret_hash = column_text(q, 8);
        std::string status = column_text(q, 9);
        w.status = parse_or_throw(core::parse_worker_status(status), "worker status", status);
        w.registered_ms = column_int(q, 10);
        w.last_seen_ms = column_int(q, 11);
        records.workers.push_back(std::move(w));
    }
}

std::int64_t max_of(SQLite::Database& db, const char* sql) {
    SQLite::Statement q(db, sql);
    q.executeStep();
    return column_int(q, 0);
}

core::Attempt read_attempt(SQLite::Statement& q) {
    core::Attempt a;
    a.task = core::TaskId(column_int(q, 0));
    a.id = core::AttemptId(column_int(q, 1));
    a.job = core::JobId(column_int(q, 2));
    a.worker = core::WorkerId(column_int(q, 3));
    a.started_ms = column_int(q, 4);
    a.ended_ms = column_int(q, 5);
    std::string outcome = column_text(q, 6);
    a.outcome = parse_or_throw(core::parse_attempt_outcome(outcome), "attempt outcome", outcome);
    a.error = column_text(q, 7);
    a.log_tail = column_text(q, 8);
    a.results = results_from_json(column_text(q, 9));
    return a;
}

util::Error read_error(const std::string& what, const std::exception& e) {
    return util::make_error("cannot read " + what + " from the state database: " + e.what());
}

}  // namespace

util::Result<core::SchedulerRecords> Store::load() {
    try {
        core::SchedulerRecords records;
        load_jobs(m_c->db, records);
        load_tasks(m_c->db, records);
        load_workers(m_c->db, records);
        // A running attempt is only in its task's row.
        records.last_attempt = core::AttemptId(
            std::max(max_of(m_c->db, "SELECT COALESCE(MAX(id), 0) FROM task_attempts"),
                     max_of(m_c->db, "SELECT COALESCE(MAX(attempt_id), 0) FROM tasks")));
        records.last_event =
            core::EventId(max_of(m_c->db, "SELECT COALESCE(MAX(id), 0) FROM events"));
        return records;
    } catch (const std::exception& e) {
        return read_error("the farm's state", e);
    }
}

util::Result<std::vector<core::Attempt>> Store::attempts_of(core::TaskId task) {
    try {
        SQLite::Statement q(m_c->db,
                            "SELECT task_id, id, job_id, worker_id, started_ms, ended_ms, outcome,"
                            " error, log_tail, results FROM task_attempts WHERE task_id=?"
                            " ORDER BY id");
        q.bind(1, task.value);
        std::vector<core::Attempt> out;
        while (q.executeStep()) out.push_back(read_attempt(q));
        return out;
    } catch (const std::exception& e) {
        return read_error("the attempts of task " + task.to_string(), e);
    }
}

util::Result<std::vector<std::pair<core::JobId, std::vector<core::FrameResult>>>>
Store::results_with_warnings() {
    try {
        // results_to_json writes "warnings" only for a frame that has some, so LIKE finds just
        // the attempts that matter without parsing every row.
        SQLite::Statement q(m_c->db,
                            "SELECT job_id, results FROM task_attempts"
                            " WHERE results LIKE '%\"warnings\"%' ORDER BY task_id, id");
        std::vector<std::pair<core::JobId, std::vector<core::FrameResult>>> out;
        while (q.executeStep()) {
            out.emplace_back(core::JobId(q.getColumn(0).getInt64()),
                             results_from_json(q.getColumn(1).getString()));
        }
        return out;
    } catch (const std::exception& e) {
        return read_error("the frames' warnings", e);
    }
}

util::Result<std::optional<core::AttemptId>> Store::latest_attempt(core::TaskId task,
                                                                   core::WorkerId worker) {
    try {
        SQLite::Statement q(m_c->db,
                            "SELECT MAX(id) FROM task_attempts WHERE task_id=? AND worker_id=?");
        q.bind(1, task.value);
        q.bind(2, worker.value);
        if (!q.executeStep() || q.getColumn(0).isNull()) {
            return std::optional<core::AttemptId>{};
        }
        return std::optional<core::AttemptId>{core::AttemptId(column_int(q, 0))};
    } catch (const std::exception& e) {
        return read_error("the attempts of task " + task.to_string(), e);
    }
}

util::Result<std::vector<core::Event>> Store::events_since(core::EventId after, std::size_t limit) {
    try {
        SQLite::Statement q(m_c->db,
                            "SELECT id, time_ms, kind, job_id, task_id, worker_id, message"
                            " FROM events WHERE id > ? ORDER BY id LIMIT ?");
        q.bind(1, after.value);
        q.bind(2, static_cast<std::int64_t>(limit));
        std::vector<core::Event> out;
        while (q.executeStep()) {
            out.push_back({core::EventId(column_int(q, 0)), column_int(q, 1), column_text(q, 2),
                           core::JobId(column_int(q, 3)), core::TaskId(column_int(q, 4)),
                           core::WorkerId(column_int(q, 5)), column_text(q, 6)});
        }
        return out;
    } catch (const std::exception& e) {
        return read_error("events", e);
    }
}

util::Result<std::optional<std::int64_t>> Store::job_finished_ms(core::JobId job) {
    try {
        SQLite::Statement q(m_c->db,
                            "SELECT MAX(time_ms) FROM events WHERE job_id = ?"
                            " AND kind IN ('job.complete', 'job.fail', 'job.cancel')");
        q.bind(1, job.value);
        if (!q.executeStep() || q.getColumn(0).isNull()) return std::optional<std::int64_t>{};
        return std::optional<std::int64_t>(column_int(q, 0));
    } catch (const std::exception& e) {
        return read_error("events", e);
    }
}

}  // namespace spotfarm::store
