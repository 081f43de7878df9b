#include "store/migrations.h"

#include <array>
#include <string>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace spotfarm::store {
namespace {

// Times are Unix milliseconds. Ids are assigned by the scheduler, not by SQLite.
constexpr std::string_view k_initial_schema = R"sql(
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    frames TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    scene TEXT NOT NULL,
    output TEXT NOT NULL,
    settings TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    queued INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    canceled INTEGER NOT NULL DEFAULT 0,
    worker_failures TEXT NOT NULL DEFAULT '{}'
);
-- The tasks of a job have consecutive ids: a job's tasks are one range of the primary key.
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    frames TEXT NOT NULL,
    status TEXT NOT NULL,
    worker_id INTEGER NOT NULL DEFAULT 0,
    lease_deadline_ms INTEGER NOT NULL DEFAULT 0,
    attempt_id INTEGER NOT NULL DEFAULT 0,
    attempt_started_ms INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    failed_on TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE workers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    cores INTEGER NOT NULL,
    memory_bytes INTEGER NOT NULL,
    gpus TEXT NOT NULL,
    blender_version TEXT NOT NULL,
    tags TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    registered_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
);
-- Written when an attempt ends (a running one lives in its task's row). Keyed by task so that
-- writing one touches one page and a task's attempts are one range.
CREATE TABLE task_attempts (
    task_id INTEGER NOT NULL,
    id INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    worker_id INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT 'running',
    error TEXT NOT NULL DEFAULT '',
    log_tail TEXT NOT NULL DEFAULT '',
    results TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (task_id, id)
) WITHOUT ROWID;
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    job_id INTEGER NOT NULL DEFAULT 0,
    task_id INTEGER NOT NULL DEFAULT 0,
    worker_id INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT ''
);
)sql";

// The frames of transfer jobs that the manager holds in its output store: one file per frame,
// the latest attempt's (an upload of another attempt of the task replaces the row).
constexpr std::string_view k_frame_files = R"sql(
CREATE TABLE frame_files (
    job_id INTEGER NOT NULL,
    frame INTEGER NOT NULL,
    task_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (job_id, frame)
) WITHOUT ROWID;
)sql";

const std::array<Migration, 2> k_migrations = {{
    {1, "jobs, tasks, workers, task attempts and events", k_initial_schema},
    {2, "frame files of transfer jobs", k_frame_files},
}};

}  // namespace

std::span<const Migration> migrations() {
    return k_migrations;
}

int latest_schema_version() {
    return k_migrations.back().version;
}

util::Result<int> schema_version(SQLite::Database& db) {
    try {
        db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        SQLite::Statement query(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        query.executeStep();
        return query.getColumn(0).getInt();
    } catch (const std::exception& e) {
        return util::make_error(std::string("cannot read the schema version: ") + e.what());
    }
}

util::Status migrate(SQLite::Database& db) {
    auto current = schema_version(db);
    if (!current) return current.error();
    if (*current > latest_schema_version()) {
        return util::make_error("the state database is at schema version " +
                                std::to_string(*current) + ", newer than this spotfarm knows (" +
                                std::to_string(latest_schema_version()) +
                                "): run a newer spotfarm or start from a new state folder");
    }
    for (const Migration& m : k_migrations) {
        if (m.version <= *current) continue;
        try {
            SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
            db.exec(std::string(m.sql));
            SQLite::Statement record(db, "INSERT INTO schema_version (version) VALUES (?)");
            record.bind(1, m.version);
            record.exec();
            transaction.commit();
        } catch (const std::exception& e) {
            return util::make_error("cannot migrate the state database to version " +
                                    std::to_string(m.version) + " (" + std::string(m.description) +
                                    "): " + e.what());
        }
    }
    return {};
}

}  // namespace spotfarm::store
