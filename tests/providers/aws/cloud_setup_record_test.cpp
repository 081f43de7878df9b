#include "providers/aws/cloud_setup_record.h"

#include <cstdlib>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/scratch_dir.h"

namespace spotfarm::providers::aws {
namespace {

// SPOTFARM_CLOUD_STATE points at the test's own folder for as long as it runs.
class CloudSetupRecordTest : public ::testing::Test {
protected:
    void SetUp() override { setenv("SPOTFARM_CLOUD_STATE", m_dir.path().c_str(), 1); }
    void TearDown() override { unsetenv("SPOTFARM_CLOUD_STATE"); }

    test::ScratchDir m_dir;
};

CloudSetupRecord sample() {
    CloudSetupRecord r;
    r.region = "eu-west-1";
    r.vpc_id = "vpc-0a1";
    r.subnet_ids = {"subnet-1", "subnet-2"};
    r.subnet_zones = {{"subnet-1", "eu-west-1a"}, {"subnet-2", "eu-west-1b"}};
    r.manager_security_group = "sg-m";
    r.worker_security_group = "sg-w";
    r.efs_id = "fs-0123";
    r.role_name = "spotfarm-manager-eu-west-1";
    r.instance_profile_name = "spotfarm-manager-eu-west-1";
    r.instance_profile_arn = "arn:aws:iam::123456789012:instance-profile/spotfarm/x";
    r.allow_from = "203.0.113.7/32";
    r.created_at = "2026-12-05T09:00:00Z";
    return r;
}

TEST_F(CloudSetupRecordTest, PathFollowsTheOverrideThenXdgThenHome) {
    EXPECT_EQ(cloud_setup_record_path("eu-west-1"), m_dir.path() / "eu-west-1.json");
    unsetenv("SPOTFARM_CLOUD_STATE");
    setenv("XDG_STATE_HOME", "/xdg/state", 1);
    EXPECT_EQ(cloud_setup_record_path("us-east-1"), "/xdg/state/spotfarm/cloud/us-east-1.json");
    unsetenv("XDG_STATE_HOME");
    const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
    EXPECT_EQ(cloud_setup_record_path("us-east-1"),
              std::filesystem::path(home) / ".local/state/spotfarm/cloud/us-east-1.json");
}

TEST_F(CloudSetupRecordTest, NothingRecordedIsNoError) {
    auto loaded = load_cloud_setup("eu-west-1");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_FALSE(loaded->has_value());
}

TEST_F(CloudSetupRecordTest, SavedRecordLoadsBackAndIsPrivate) {
    ASSERT_TRUE(save_cloud_setup(sample()).ok());
    struct stat info {};
    ASSERT_EQ(stat(cloud_setup_record_path("eu-west-1").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    auto loaded = load_cloud_setup("eu-west-1");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(loaded->has_value());
    EXPECT_EQ(**loaded, sample());
}

TEST_F(CloudSetupRecordTest, ForgetRemovesTheRecordAndMayRepeat) {
    ASSERT_TRUE(save_cloud_setup(sample()).ok());
    ASSERT_TRUE(forget_cloud_setup("eu-west-1").ok());
    EXPECT_FALSE(std::filesystem::exists(cloud_setup_record_path("eu-west-1")));
    EXPECT_TRUE(forget_cloud_setup("eu-west-1").ok());
}

TEST_F(CloudSetupRecordTest, BrokenRecordSaysWhichFileAndWhatToDo) {
    m_dir.write("eu-west-1.json", R"({"region": "eu-west-1", "vpc_id": 7})");
    auto loaded = load_cloud_setup("eu-west-1");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("eu-west-1.json"), std::string::npos);
    EXPECT_NE(loaded.error().message.find("vpc_id"), std::string::npos);
    EXPECT_NE(loaded.error().message.find("cloud setup"), std::string::npos);
}

TEST_F(CloudSetupRecordTest, RecordOfAnotherRegionIsRefused) {
    auto other = sample();
    other.region = "us-east-2";
    m_dir.write("eu-west-1.json", cloud_setup_to_json(other));
    EXPECT_FALSE(load_cloud_setup("eu-west-1").ok());
}

}  // namespace
}  // namespace spotfarm::providers::aws
