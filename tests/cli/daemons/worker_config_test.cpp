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

TEST(WorkerConfig, CacheSizesReadWithUnits) {
    EXPECT_EQ(parse_byte_size("20G").value_or(0), 20LL << 30);
    EXPECT_EQ(parse_byte_size("20GiB").value_or(0), 20LL << 30);
    EXPECT_EQ(parse_byte_size("512m").value_or(0), 512LL << 20);
    EXPECT_EQ(parse_byte_size("1.5T").value_or(0), 3LL << 39);
    EXPECT_EQ(parse_byte_size("2097152").value_or(0), 2LL << 20);
    for (const char* bad : {"", "G", "20X", "-5G", "1.2.3G", "20 GB extra"}) {
        auto parsed = parse_byte_size(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_NE(parsed.error().message.find("e.g. 20G"), std::string::npos);
    }
    auto tiny = parse_byte_size("10K");
    ASSERT_FALSE(tiny);
    EXPECT_NE(tiny.error().message.find("at least 1M"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::cli
