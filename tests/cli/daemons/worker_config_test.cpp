// The [worker] table of the config file.
#include "cli/daemons/worker_config.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::cli {
namespace {

TEST(WorkerConfig, RefuseScriptsFromTheWorkerTable) {
    auto on = parse_worker_settings("manager = \"http://x\"\n[worker]\nrefuse_scripts = true\n",
                                    "c.toml");
    ASSERT_TRUE(on) << on.error().message;
    EXPECT_TRUE(on->refuse_scripts);
    auto off = parse_worker_settings("[worker]\nrefuse_scripts = false\n", "c.toml");
    ASSERT_TRUE(off);
    EXPECT_FALSE(off->refuse_scripts);
    auto none = parse_worker_settings("manager = \"http://x\"\n", "c.toml");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->refuse_scripts);
}

TEST(WorkerConfig, MistakesAreRefusedNamingTheKey) {
    auto typo = parse_worker_settings("[worker]\nrefuse_script = true\n", "c.toml");
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find("c.toml:2: [worker] refuse_script"), std::string::npos)
        << typo.error().message;
    auto text = parse_worker_settings("[worker]\nrefuse_scripts = \"yes\"\n", "c.toml");
    ASSERT_FALSE(text);
    EXPECT_NE(text.error().message.find("must be true or false"), std::string::npos);
    EXPECT_FALSE(parse_worker_settings("worker = 1\n", "c.toml"));
    EXPECT_FALSE(parse_worker_settings("[worker\n", "c.toml"));
}

TEST(WorkerConfig, AMissingFileGivesTheDefaults) {
    test::ScratchDir dir;
    auto missing = read_worker_settings(dir.path() / "none.toml");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->refuse_scripts);
    auto present = read_worker_settings(dir.write("c.toml", "[worker]\nrefuse_scripts = true\n"));
    ASSERT_TRUE(present) << present.error().message;
    EXPECT_TRUE(present->refuse_scripts);
}

}  // namespace
}  // namespace spotfarm::cli
