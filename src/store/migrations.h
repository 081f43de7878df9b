#pragma once
// The schema as an ordered list of migrations. A database records the version it reached in its
// schema_version table; opening it applies the missing migrations, each in its own transaction.
// Never edit a migration that shipped: append a new one.

#include <span>
#include <string_view>

#include <SQLiteCpp/Database.h>

#include "util/result.h"

namespace spotfarm::store {

struct Migration {
    int version;  // 1, 2, 3, ... in order
    std::string_view description;
    std::string_view sql;
};

std::span<const Migration> migrations();
int latest_schema_version();

// The version the database is at; 0 for a new database.
util::Result<int> schema_version(SQLite::Database& db);
// Brings the database to latest_schema_version(); refuses a database from a newer spotfarm.
util::Status migrate(SQLite::Database& db);

}  // namespace spotfarm::store
