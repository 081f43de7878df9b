#include "store/store.h"

#include "store/connection.h"
#include "store/migrations.h"
#include "util/file_mode.h"

namespace spotfarm::store {
namespace {

SQLite::Database open_database(const std::filesystem::path& file) {
    SQLite::Database db(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.setBusyTimeout(2000);
    // One manager owns its state: the exclusive lock keeps a second one out, and spares every
    // transaction the file locking that sharing would need.
    db.exec("PRAGMA locking_mode=EXCLUSIVE");
    // A commit appends to the log and does not wait for the disk; checkpoints, which do, come
    // every 40 MB of log rather than every 4 MB.
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA wal_autocheckpoint=10000");
    auto migrated = migrate(db);
    if (!migrated) throw std::runtime_error(migrated.error().message);
    return db;
}

std::string insert_tasks_sql(int rows) {
    std::string sql = "INSERT INTO tasks (id, job_id, frames, status) VALUES (?,?,?,'queued')";
    for (int i = 1; i < rows; ++i) sql += ",(?,?,?,'queued')";
    return sql;
}

}  // namespace

Store::Connection::Connection(const std::filesystem::path& file)
    : db(open_database(file)),
      insert_job(db,
                 "INSERT INTO jobs (id, name, status, priority, created_ms, frames, chunk, scene,"
                 " output, settings, message, queued, active, completed, failed, canceled,"
                 " worker_failures) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      insert_task(db, insert_tasks_sql(1)),
      insert_tasks(db, insert_tasks_sql(k_task_batch)),
      update_job(db,
                 "UPDATE jobs SET status=?, priority=?, message=?, queued=?, active=?,"
                 " completed=?, failed=?, canceled=?, worker_failures=? WHERE id=?"),
      update_task(db,
                  "UPDATE tasks SET status=?, worker_id=?, lease_deadline_ms=?, attempt_id=?,"
                  " attempt_started_ms=?, attempts=?, failed_on=? WHERE id=?"),
      insert_worker(db,
                    "INSERT INTO workers (id, name, host, cores, memory_bytes, gpus,"
                    " blender_version, tags, secret_hash, status, registered_ms, last_seen_ms)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"),
      update_worker(db, "UPDATE workers SET status=?, last_seen_ms=? WHERE id=?"),
      insert_attempt(db,
                     "INSERT INTO task_attempts (task_id, id, job_id, worker_id, started_ms,"
                     " ended_ms, outcome, error, log_tail, results) VALUES (?,?,?,?,?,?,?,?,?,?)"),
      revise_attempt(db,
                     "UPDATE task_attempts SET ended_ms=?, outcome=?, error=?, log_tail=?,"
                     " results=? WHERE task_id=? AND id=?"),
      insert_event(db,
                   "INSERT INTO events (id, time_ms, kind, job_id, task_id, worker_id, message)"
                   " VALUES (?,?,?,?,?,?,?)"),
      delete_job(db, "DELETE FROM jobs WHERE id=?"),
      delete_tasks(db, "DELETE FROM tasks WHERE id BETWEEN ? AND ?"),
      delete_attempts(db, "DELETE FROM task_attempts WHERE task_id BETWEEN ? AND ?"),
      delete_frame_files(db, "DELETE FROM frame_files WHERE job_id=?"),
      put_frame_file(db,
                     "INSERT OR REPLACE INTO frame_files (job_id, frame, task_id, name, size,"
                     " sha256) VALUES (?,?,?,?,?,?)") {}

Store::Store(std::filesystem::path file, std::unique_ptr<Connection> connection)
    : m_file(std::move(file)), m_c(std::move(connection)) {}

Store::~Store() = default;

util::Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file) {
    // SQLite would create the file with the umask's mode (0644, readable by all); it holds the
    // farm's jobs and worker secrets' hashes. Its -wal and -shm files take the file's mode.
    auto refused = [&](const util::Error& error) {
        return util::make_error(
            "cannot open the state database " + file.string() + ": " + error.message, error.kind);
    };
    if (auto made = util::create_private_file(file); !made) return refused(made.error());
    for (const char* suffix : {"-wal", "-shm"}) {
        std::filesystem::path side = file;
        side += suffix;
        std::error_code ec;
        if (!std::filesystem::exists(side, ec)) continue;
        if (auto closed = util::restrict_mode(side, 0600); !closed) return refused(closed.error());
    }
    try {
        auto connection = std::make_unique<Connection>(file);
        return std::unique_ptr<Store>(new Store(file, std::move(connection)));
    } catch (const std::exception& e) {
        std::string why = e.what();
        if (why.find("locked") != std::string::npos) {
            why += " (is another manager using this state folder?)";
        }
        return util::make_error("cannot open the state database " + file.string() + ": " + why);
    }
}

util::Result<int> Store::schema_version() {
    return store::schema_version(m_c->db);
}

}  // namespace spotfarm::store
