#include "providers/aws/cloud_setup.h"

#include <algorithm>

#include "cloud_setup_fixture.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;

bool has_tag(const std::vector<aws::Tag>& tags, const std::string& key, const std::string& value) {
    return std::find(tags.begin(), tags.end(), aws::Tag{key, value}) != tags.end();
}

const aws::Ec2SecurityGroup* group_named(const std::vector<aws::Ec2SecurityGroup>& groups,
                                         const std::string& name) {
    for (const auto& group : groups)
        if (group.name == name) return &group;
    return nullptr;
}

using CloudSetup = CloudSetupFixture;

TEST_F(CloudSetup, FromNothingMakesEverythingTaggedWaitsForEfsAndRecordsIt) {
    auto record = setup();
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_EQ(record->vpc_id, "vpc-0default");
    EXPECT_EQ(record->subnet_ids, (std::vector<std::string>{k_default_subnet_a, k_default_subnet_b,
                                                            k_default_subnet_c}));
    EXPECT_EQ(record->subnet_zones.at(k_default_subnet_b), "eu-west-1b");
    EXPECT_EQ(record->allow_from, "203.0.113.7/32");

    const auto groups = account.network.security_groups();
    const auto* workers = group_named(groups, "spotfarm-workers");
    const auto* manager = group_named(groups, "spotfarm-manager");
    ASSERT_TRUE(workers && manager);
    EXPECT_EQ(record->worker_security_group, workers->id);
    EXPECT_EQ(record->manager_security_group, manager->id);
    EXPECT_TRUE(has_tag(workers->tags, "spotfarm:setup", "eu-west-1"));
    EXPECT_TRUE(has_tag(manager->tags, "spotfarm:setup", "eu-west-1"));
    // NFS only among holders of the worker group; the manager's port from the workers and from
    // this machine's address, nothing else.
    ASSERT_EQ(workers->ingress.size(), 1u);
    EXPECT_EQ(workers->ingress[0],
              (aws::IngressRule{2049, 2049, "", workers->id, "NFS to EFS from spotfarm"}));
    ASSERT_EQ(manager->ingress.size(), 2u);
    EXPECT_EQ(manager->ingress[0].group_id, workers->id);
    EXPECT_EQ(manager->ingress[1].cidr, "203.0.113.7/32");
    EXPECT_EQ(manager->ingress[1].from_port, 8420);

    const auto file_systems = account.efs.file_systems();
    ASSERT_EQ(file_systems.size(), 1u);
    EXPECT_EQ(record->efs_id, file_systems[0].id);
    EXPECT_EQ(file_systems[0].life_cycle_state, "available");
    EXPECT_TRUE(has_tag(file_systems[0].tags, "spotfarm:setup", "eu-west-1"));
    const auto targets = account.efs.mount_targets();
    ASSERT_EQ(targets.size(), 3u);
    for (const auto& mt : targets) {
        EXPECT_EQ(mt.target.life_cycle_state, "available");
        EXPECT_EQ(mt.security_groups, std::vector<std::string>{workers->id});
    }
    // It waited for EFS through the sleeper, never on the clock.
    EXPECT_FALSE(sleeper.sleeps().empty());

    const auto roles = account.iam.roles();
    ASSERT_EQ(roles.count("spotfarm-manager-eu-west-1"), 1u);
    const auto& role = roles.at("spotfarm-manager-eu-west-1");
    EXPECT_EQ(role.path, "/spotfarm/");
    EXPECT_TRUE(has_tag(role.tags, "spotfarm:setup", "eu-west-1"));
    EXPECT_EQ(role.policies.at("spotfarm-manager"), aws::manager_role_policy("eu-west-1"));
    const auto profiles = account.iam.profiles();
    ASSERT_EQ(profiles.count(record->instance_profile_name), 1u);
    EXPECT_EQ(profiles.at(record->instance_profile_name).roles,
              std::vector<std::string>{"spotfarm-manager-eu-west-1"});
    EXPECT_NE(record->instance_profile_arn.find(":instance-profile/spotfarm/"), std::string::npos);

    auto loaded = aws::load_cloud_setup("eu-west-1");
    ASSERT_TRUE(loaded.ok() && loaded->has_value());
    EXPECT_EQ(**loaded, *record);
    EXPECT_NE(said.find("(created)"), std::string::npos);
}

TEST_F(CloudSetup, RunningItAgainChangesNothing) {
    auto first = setup();
    ASSERT_TRUE(first.ok()) << first.error().message;
    const int changes = account.changes();
    const auto resources = account.setup_resources();
    said.clear();
    auto second = setup();
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(account.changes(), changes);
    EXPECT_EQ(account.setup_resources(), resources);
    EXPECT_EQ(*second, *first);
    EXPECT_EQ(said.find("(created)"), std::string::npos) << said;
}

TEST_F(CloudSetup, SetupInterruptedBeforeItsRecordFindsWhatItMade) {
    ASSERT_TRUE(setup().ok());
    ASSERT_TRUE(aws::forget_cloud_setup("eu-west-1").ok());
    const int changes = account.changes();
    auto again = setup();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(account.changes(), changes);
    EXPECT_EQ(account.efs.file_systems().size(), 1u);
}

TEST_F(CloudSetup, TeardownLeavesNoResourceAndNoRecord) {
    ASSERT_TRUE(setup().ok());
    std::string asked_about;
    teardown.confirm_efs_delete = [&](const aws::EfsFileSystem& fs) {
        asked_about = fs.id;
        return true;
    };
    auto report = tear_down();
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_FALSE(asked_about.empty());
    EXPECT_TRUE(account.setup_resources().empty())
        << ::testing::PrintToString(account.setup_resources());
    EXPECT_FALSE(report->efs_kept);
    EXPECT_FALSE(std::filesystem::exists(aws::cloud_setup_record_path("eu-west-1")));
    // A second teardown finds nothing recorded and succeeds.
    auto again = tear_down();
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->nothing_recorded);
}

TEST_F(CloudSetup, TeardownKeepingEfsKeepsWhatItNeedsAndRecordsIt) {
    auto record = setup();
    ASSERT_TRUE(record.ok());
    teardown.keep_efs = true;
    auto report = tear_down();
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->efs_kept);
    EXPECT_EQ(account.efs.file_systems().size(), 1u);
    EXPECT_EQ(account.efs.mount_targets().size(), 3u);
    const auto groups = account.network.security_groups();
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].id, record->worker_security_group);
    EXPECT_TRUE(account.iam.roles().empty());
    auto left = aws::load_cloud_setup("eu-west-1");
    ASSERT_TRUE(left.ok() && left->has_value());
    EXPECT_EQ((*left)->efs_id, record->efs_id);
    EXPECT_TRUE((*left)->manager_security_group.empty());
}

TEST_F(CloudSetup, TeardownAnsweredNoKeepsEfs) {
    ASSERT_TRUE(setup().ok());
    teardown.confirm_efs_delete = [](const aws::EfsFileSystem&) { return false; };
    auto report = tear_down();
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->efs_kept);
    EXPECT_EQ(account.efs.file_systems().size(), 1u);
}

TEST_F(CloudSetup, TeardownRefusesWhileARenderRuns) {
    ASSERT_TRUE(setup().ok());
    aws::RunInstancesRequest launch;
    launch.image_id = "ami-0123456789abcdef0";
    launch.instance_type = "c7i.large";
    launch.tags = {{"spotfarm:fleet", "sf-render"}};
    auto launched = aws->ec2->run_instances(launch);
    ASSERT_TRUE(launched.ok()) << launched.error().message;
    const auto before = account.setup_resources();
    auto report = tear_down();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().kind, util::ErrorKind::conflict);
    EXPECT_NE(report.error().message.find("cloud down"), std::string::npos);
    EXPECT_EQ(account.setup_resources(), before);
}

TEST_F(CloudSetup, GroupsWaitForMountTargetsBeingDeleted) {
    ASSERT_TRUE(setup().ok());
    account.efs.set_transition_polls(4);
    auto report = tear_down();
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(account.setup_resources().empty());
}

TEST_F(CloudSetup, AllowFromIsCheckedAndUsed) {
    options.allow_from = "198.51.100.0/24";
    auto record = setup();
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_EQ(record->allow_from, "198.51.100.0/24");
    options.allow_from = "my laptop";
    auto refused = setup();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(refused.error().message.find("--allow-from"), std::string::npos);
}

TEST_F(CloudSetup, SubnetsNamedOnePerZone) {
    options.subnet_ids = {k_default_subnet_c, k_default_subnet_a};
    auto record = setup();
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_EQ(record->subnet_ids,
              (std::vector<std::string>{k_default_subnet_c, k_default_subnet_a}));
    EXPECT_EQ(account.efs.mount_targets().size(), 2u);

    account.network.add_subnet("subnet-0aaaaaaaaaaaaaaa2", "vpc-0default", "eu-west-1a",
                               "172.31.48.0/20", false);
    options.subnet_ids = {k_default_subnet_a, "subnet-0aaaaaaaaaaaaaaa2"};
    auto same_zone = setup();
    ASSERT_FALSE(same_zone.ok());
    EXPECT_NE(same_zone.error().message.find("one subnet per zone"), std::string::npos);
}

TEST_F(CloudSetup, AQuotaNamesItselfAndSaysWhatToDo) {
    account.network.set_group_limit(1);
    auto record = setup();
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(record.error().message.find("SecurityGroupLimitExceeded"), std::string::npos);
    EXPECT_NE(record.error().message.find("Service Quotas"), std::string::npos);
}

TEST_F(CloudSetup, AnEfsQuotaNamesItself) {
    account.efs.fail_next("CreateFileSystem", 403, "FileSystemLimitExceeded",
                          "You have reached the maximum number of file systems");
    auto record = setup();
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(record.error().message.find("FileSystemLimitExceeded"), std::string::npos);
}

TEST_F(CloudSetup, AccessDeniedNamesTheMissingPermission) {
    account.iam.fail_next("CreateRole", 403, "AccessDenied",
                          "User: arn:aws:iam::123456789012:user/artist is not authorized to "
                          "perform: iam:CreateRole");
    auto record = setup();
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.error().kind, util::ErrorKind::unauthorized);
    EXPECT_NE(record.error().message.find("Grant iam:CreateRole"), std::string::npos)
        << record.error().message;
}

TEST_F(CloudSetup, CheckipFailureSaysToPassAllowFrom) {
    options.checkip_url = "http://127.0.0.1:1/";
    auto record = setup();
    ASSERT_FALSE(record.ok());
    EXPECT_NE(record.error().message.find("--allow-from"), std::string::npos);
}

class CloudSetupWithoutDefaultVpc : public CloudSetupFixture {
protected:
    CloudSetupWithoutDefaultVpc() : CloudSetupFixture(false) {}
};

TEST_F(CloudSetupWithoutDefaultVpc, SaysToPassVpcAndSubnet) {
    auto record = setup();
    ASSERT_FALSE(record.ok());
    EXPECT_EQ(record.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(record.error().message.find("no default VPC"), std::string::npos);
    EXPECT_NE(record.error().message.find("--vpc"), std::string::npos);
    EXPECT_NE(record.error().message.find("--subnet"), std::string::npos);
    EXPECT_EQ(account.changes(), 0);
}

TEST_F(CloudSetupWithoutDefaultVpc, UsesTheVpcAndSubnetsNamed) {
    account.network.add_vpc("vpc-0own", "10.0.0.0/16", false);
    account.network.add_subnet("subnet-0xxxxxxxxxxxxxxxx", "vpc-0own", "eu-west-1a", "10.0.1.0/24",
                               false);
    account.network.add_subnet("subnet-0yyyyyyyyyyyyyyyy", "vpc-0own", "eu-west-1b", "10.0.2.0/24",
                               false);
    options.vpc_id = "vpc-0own";
    auto record = setup();
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_EQ(record->subnet_ids,
              (std::vector<std::string>{"subnet-0xxxxxxxxxxxxxxxx", "subnet-0yyyyyyyyyyyyyyyy"}));
}

}  // namespace
}  // namespace spotfarm::testing
