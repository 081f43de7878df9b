// `spotfarm cloud setup / status / teardown` as a user runs them, against a loopback AWS account
// (EC2, IAM, SSM and EFS stand-ins reached through AWS_ENDPOINT_URL_<SERVICE>): from nothing to
// everything tagged, again with nothing changed, then torn down to nothing; and the errors people
// meet on the way, each with its message and exit code.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_spotfarm.h"
#include "support/fake_aws_account.h"
#include "support/scratch_dir.h"

namespace spotfarm::testing {
namespace {

struct SetupCli {
    explicit SetupCli(bool default_vpc = true) : account("eu-west-1", default_vpc) {}

    std::vector<std::string> env() const {
        auto creds = FakeAwsAccount::test_credentials();
        auto environment = user_env(dir.path(), creds.access_key_id, creds.secret_access_key);
        for (const auto& entry : account.endpoint_environment()) environment.push_back(entry);
        environment.push_back("SPOTFARM_CLOUD_STATE=" + (dir.path() / "state").string());
        return environment;
    }
    SpotfarmRun run(std::vector<std::string> args) {
        args.insert(args.end(), {"--region", "eu-west-1"});
        return run_spotfarm(args, env(), dir.path());
    }
    SpotfarmRun setup(std::vector<std::string> more = {}) {
        std::vector<std::string> args = {
            "cloud", "setup", "--checkip-url", account.checkip_url(), "--poll-seconds", "0"};
        args.insert(args.end(), more.begin(), more.end());
        return run(args);
    }

    test::ScratchDir dir;
    FakeAwsAccount account;
};

TEST(CloudSetupCli, FromNothingAgainUnchangedThenTornDownToNothing) {
    SetupCli cli;
    auto first = cli.setup();
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("EFS fs-"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("203.0.113.7/32"), std::string::npos) << first.out;
    const auto made = cli.account.setup_resources();
    // Two groups, EFS, three mount targets, the role and its profile.
    EXPECT_EQ(made.size(), 8u) << ::testing::PrintToString(made);
    const int changes = cli.account.changes();

    auto again = cli.setup({"--json"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(cli.account.changes(), changes);
    EXPECT_EQ(cli.account.setup_resources(), made);
    const auto record = nlohmann::json::parse(again.out);
    EXPECT_EQ(record["region"], "eu-west-1");
    EXPECT_EQ(record["subnet_ids"].size(), 3u);
    EXPECT_EQ(record["efs_id"], cli.account.efs.file_systems().at(0).id);

    auto status = cli.run({"cloud", "status", "--json"});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    auto shown = nlohmann::json::parse(status.out)["setup"];
    EXPECT_EQ(shown["efs_size_bytes"], 6144);  // what EFS measured, asked from EFS
    shown.erase("efs_size_bytes");
    EXPECT_EQ(shown, record);
    auto table = cli.run({"cloud", "status"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("Setup in eu-west-1"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("MiB stored"), std::string::npos) << table.out;

    // Nobody to ask and no --yes: nothing is deleted.
    auto unasked = cli.run({"cloud", "teardown", "--poll-seconds", "0"});
    EXPECT_EQ(unasked.exit_code, 2);
    EXPECT_NE(unasked.err.find("--yes"), std::string::npos) << unasked.err;
    EXPECT_EQ(cli.account.setup_resources(), made);

    auto down = cli.run({"cloud", "teardown", "--yes", "--poll-seconds", "0"});
    ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
    EXPECT_NE(down.out.find("holds 6144 bytes"), std::string::npos) << down.out;
    EXPECT_TRUE(cli.account.setup_resources().empty())
        << ::testing::PrintToString(cli.account.setup_resources());
    auto twice = cli.run({"cloud", "teardown", "--yes"});
    EXPECT_EQ(twice.exit_code, 0);
    EXPECT_NE(twice.out.find("Nothing to tear down"), std::string::npos);
}

TEST(CloudSetupCli, PrintPolicyNeedsNoCredentialsAndChangesNothing) {
    SetupCli cli;
    auto policy =
        run_spotfarm({"cloud", "setup", "--print-policy", "--region", "eu-west-1"},
                     {"PATH=/usr/bin:/bin", "HOME=" + cli.dir.path().string()}, cli.dir.path());
    ASSERT_EQ(policy.exit_code, 0) << policy.err;
    const auto json = nlohmann::json::parse(policy.out);
    EXPECT_EQ(json["Version"], "2012-10-17");
    EXPECT_NE(policy.out.find("aws:RequestTag/spotfarm:fleet"), std::string::npos);
    EXPECT_EQ(cli.account.changes(), 0);
}

TEST(CloudSetupCli, NoDefaultVpcSaysToPassVpcAndSubnet) {
    SetupCli cli(false);
    auto run = cli.setup();
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("no default VPC. Pass --vpc"), std::string::npos) << run.err;
    EXPECT_EQ(cli.account.changes(), 0);
}

TEST(CloudSetupCli, AMissingPermissionIsNamed) {
    SetupCli cli;
    cli.account.iam.fail_next("CreateRole", 403, "AccessDenied",
                              "User: arn:aws:iam::123456789012:user/artist is not authorized to "
                              "perform: iam:CreateRole");
    auto run = cli.setup();
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("Grant iam:CreateRole"), std::string::npos) << run.err;
}

TEST(CloudSetupCli, AQuotaNamesItselfAndExitsUnavailable) {
    SetupCli cli;
    cli.account.efs.fail_next("CreateFileSystem", 403, "FileSystemLimitExceeded",
                              "You have reached the maximum number of file systems");
    auto run = cli.setup();
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_NE(run.err.find("quota"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("FileSystemLimitExceeded"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace spotfarm::testing
