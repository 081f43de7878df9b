#pragma once
// The database of a Store and its prepared statements; private to src/store/.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/store.h"

namespace spotfarm::store {

struct Store::Connection {
    explicit Connection(const std::filesystem::path& file);

    SQLite::Database db;
    SQLite::Statement insert_job;
    SQLite::Statement insert_task;
    SQLite::Statement update_job;
    SQLite::Statement update_task;
    SQLite::Statement insert_worker;
    SQLite::Statement update_worker;
    SQLite::Statement insert_attempt;
    SQLite::Statement end_attempt;
    SQLite::Statement insert_event;
    SQLite::Statement delete_job;
    SQLite::Statement delete_tasks;
    SQLite::Statement delete_attempts;
};

}  // namespace spotfarm::store
