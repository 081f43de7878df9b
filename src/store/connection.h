#pragma once
// The database of a Store and its prepared statements; private to src/store/.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/store.h"

namespace spotfarm::store {

// Rows per statement when a job's tasks are inserted: one statement for many rows costs the
// SQLite virtual machine far less than one per row.
inline constexpr int k_task_batch = 32;

struct Store::Connection {
    explicit Connection(const std::filesystem::path& file);

    SQLite::Database db;
    SQLite::Statement insert_job;
    SQLite::Statement insert_task;
    SQLite::Statement insert_tasks;  // k_task_batch rows at once
    SQLite::Statement update_job;
    SQLite::Statement update_task;
    SQLite::Statement insert_worker;
    SQLite::Statement update_worker;
    SQLite::Statement insert_attempt;
    SQLite::Statement revise_attempt;
    SQLite::Statement insert_event;
    SQLite::Statement delete_job;
    SQLite::Statement delete_tasks;
    SQLite::Statement delete_attempts;
    SQLite::Statement delete_frame_files;
    SQLite::Statement put_frame_file;
};

}  // namespace spotfarm::store
