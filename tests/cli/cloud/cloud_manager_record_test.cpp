#include "cli/cloud/cloud_manager_record.h"

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;

CloudManagerRecord record() {
    return {"eu-west-1",
            "i-0123456789abcdef0",
            "https://203.0.113.7:8420",
            "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "people_0123456789abcdef",
            "t3.small",
            "2026-12-05T09:00:00Z"};
}

TEST(CloudManagerRecord, SavesAndLoadsOwnerOnly) {
    test::ScratchDir dir;
    const fs::path state = dir / "cloud";
    auto none = load_cloud_manager(state, "eu-west-1");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    ASSERT_TRUE(save_cloud_manager(state, record()));
    const auto path = cloud_manager_record_path(state, "eu-west-1");
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    auto loaded = load_cloud_manager(state, "eu-west-1");
    ASSERT_TRUE(loaded) << loaded.error().message;
    ASSERT_TRUE(*loaded);
    EXPECT_EQ(**loaded, record());
    EXPECT_FALSE(*load_cloud_manager(state, "us-east-1"));
    ASSERT_TRUE(forget_cloud_manager(state, "eu-west-1"));
    EXPECT_FALSE(*load_cloud_manager(state, "eu-west-1"));
    EXPECT_TRUE(forget_cloud_manager(state, "eu-west-1"));
}

TEST(CloudManagerRecord, ABrokenRecordSaysWhatToDo) {
    test::ScratchDir dir;
    dir.write("eu-west-1.manager.json", "{\"region\": \"eu-west-1\"}");
    auto loaded = load_cloud_manager(dir.path(), "eu-west-1");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("remove it"), std::string::npos);
}

TEST(CloudManagerRecord, TheStateFolderFollowsTheEnvironment) {
    std::map<std::string, std::string> vars;
    auto getenv = [&](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    EXPECT_EQ(cloud_state_dir(getenv, "/home/a"), "/home/a/.local/state/spotfarm/cloud");
    vars["XDG_STATE_HOME"] = "/x";
    EXPECT_EQ(cloud_state_dir(getenv, "/home/a"), "/x/spotfarm/cloud");
    vars["SPOTFARM_CLOUD_STATE"] = "/c";
    EXPECT_EQ(cloud_state_dir(getenv, "/home/a"), "/c");
}

TEST(CloudManagerRecord, GivesTheConnectionWithItsPin) {
    auto config = client_config_of(record(), "/s/eu-west-1.manager.json");
    EXPECT_EQ(config.manager_url, "https://203.0.113.7:8420");
    EXPECT_EQ(config.token, "people_0123456789abcdef");
    EXPECT_EQ(config.manager_pin, record().pin);
    EXPECT_NE(config.manager_source.find("/s/eu-west-1.manager.json"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::cli
