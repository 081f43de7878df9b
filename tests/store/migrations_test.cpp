#include "store/migrations.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/store.h"
#include "store/test_dir.h"

namespace spotfarm::store {
namespace {

std::string query_text(const std::filesystem::path& file, const std::string& sql) {
    SQLite::Database db(file, SQLite::OPEN_READWRITE);
    SQLite::Statement q(db, sql);
    q.executeStep();
    return q.getColumn(0).getString();
}

}  // namespace

TEST(Migrations, AreNumberedInOrderFromOne) {
    int expected = 1;
    for (const Migration& m : migrations()) EXPECT_EQ(m.version, expected++);
    EXPECT_EQ(latest_schema_version(), expected - 1);
}

TEST(Migrations, ANewDatabaseReachesTheLatestVersionInWalMode) {
    TestDir dir;
    auto file = dir.path() / "state.db";
    {
        auto store = Store::open(file);
        ASSERT_TRUE(store) << store.error().message;
        EXPECT_EQ(*(*store)->schema_version(), latest_schema_version());
    }
    EXPECT_EQ(query_text(file, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(query_text(file, "SELECT COUNT(*) FROM jobs"), "0");
}

TEST(Migrations, ReopeningAppliesNothingTwice) {
    TestDir dir;
    auto file = dir.path() / "state.db";
    ASSERT_TRUE(Store::open(file));
    ASSERT_TRUE(Store::open(file));
    EXPECT_EQ(query_text(file, "SELECT COUNT(*) FROM schema_version"),
              std::to_string(migrations().size()));
}

TEST(Migrations, ADatabaseFromANewerSpotfarmIsRefused) {
    TestDir dir;
    auto file = dir.path() / "state.db";
    ASSERT_TRUE(Store::open(file));
    {
        SQLite::Database db(file, SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO schema_version (version) VALUES (999)");
    }
    auto store = Store::open(file);
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
}

TEST(Migrations, AnUnreadableFileIsAClearError) {
    TestDir dir;
    auto store = Store::open(dir.path() / "missing-folder" / "state.db");
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find("cannot open the state database"), std::string::npos);
}

}  // namespace spotfarm::store
