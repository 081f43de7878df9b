#include "store/store.h"

#include "store/connection.h"
#include "store/migrations.h"

namespace spotfarm::store {
namespace {

SQLite::Database open_database(const std::filesystem::path& file) {
    SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // Readers of the dashboard never block the writer; a commit does not wait for the disk.
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.setBusyTimeout(5000);
    auto migrated = migrate(db);
    if (!migrated) throw std::runtime_error(migrated.error().message);
    return db;
}

}  // namespace

Store::Connection::Connection(const std::filesystem::path& file)
    : db(open_database(file)),
      insert_job(db,
                 "INSERT INTO jobs (id, name, status, priority, created_ms, frames, chunk, scene,"
                 " output, settings, message, queued, active, completed, failed, canceled,"
                 " worker_failures) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      insert_task(db, "INSERT INTO tasks (id, job_id, frames, status) VALUES (?,?,?,?)"),
      update_job(db,
                 "UPDATE jobs SET status=?, priority=?, message=?, queued=?, active=?,"
                 " completed=?, failed=?, canceled=?, worker_failures=? WHERE id=?"),
      update_task(db,
                  "UPDATE tasks SET status=?, worker_id=?, lease_deadline_ms=?, attempt_id=?,"
                  " attempts=?, failed_on=? WHERE id=?"),
      insert_worker(db,
                    "INSERT INTO workers (id, name, host, cores, memory_bytes, gpus,"
                    " blender_version, tags, secret_hash, status, registered_ms, last_seen_ms)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"),
      update_worker(db, "UPDATE workers SET status=?, last_seen_ms=? WHERE id=?"),
      insert_attempt(db,
                     "INSERT INTO task_attempts (id, task_id, job_id, worker_id, started_ms)"
                     " VALUES (?,?,?,?,?)"),
      end_attempt(db,
                  "UPDATE task_attempts SET ended_ms=?, outcome=?, error=?, log_tail=?,"
                  " results=? WHERE id=?"),
      insert_event(db,
                   "INSERT INTO events (id, time_ms, kind, job_id, task_id, worker_id, message)"
                   " VALUES (?,?,?,?,?,?,?)"),
      delete_job(db, "DELETE FROM jobs WHERE id=?"),
      delete_tasks(db, "DELETE FROM tasks WHERE job_id=?"),
      delete_attempts(db, "DELETE FROM task_attempts WHERE job_id=?") {}

Store::Store(std::filesystem::path file, std::unique_ptr<Connection> connection)
    : m_file(std::move(file)), m_c(std::move(connection)) {}

Store::~Store() = default;

util::Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file) {
    try {
        auto connection = std::make_unique<Connection>(file);
        return std::unique_ptr<Store>(new Store(file, std::move(connection)));
    } catch (const std::exception& e) {
        return util::make_error("cannot open the state database " + file.string() + ": " +
                                e.what());
    }
}

util::Result<int> Store::schema_version() {
    return store::schema_version(m_c->db);
}

}  // namespace spotfarm::store
