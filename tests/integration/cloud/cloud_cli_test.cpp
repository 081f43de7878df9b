// `spotfarm cloud` as a user runs it, against the EC2 stand-in on loopback with test credentials
// in the environment: up, status, down (twice), the user-data, and the failures people meet.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/aws/ec2_client.h"
#include "run_spotfarm.h"
#include "support/fake_ec2.h"
#include "support/recording_sleeper.h"
#include "support/scratch_dir.h"

namespace spotfarm::testing {
namespace {

using providers::aws::InstanceState;

struct CloudCli {
    CloudCli() { token_file = dir.write("join-token", "jt_cloud_cli_0123456789\n"); }

    // The environment of a user with keys for the stand-in, and nothing else.
    std::vector<std::string> env(const std::string& secret = {}) const {
        return user_env(dir.path(), ec2.credentials().access_key_id,
                        secret.empty() ? ec2.credentials().secret_access_key : secret);
    }
    SpotfarmRun run(std::vector<std::string> args, const std::vector<std::string>& environment) {
        args.push_back("--ec2-endpoint=" + ec2.endpoint());
        return run_spotfarm(args, environment, dir.path());
    }
    SpotfarmRun run(std::vector<std::string> args) { return run(std::move(args), env()); }
    SpotfarmRun up(const std::string& fleet, int count, const std::string& types,
                   const std::vector<std::string>& more = {}) {
        std::vector<std::string> args = {"cloud",
                                         "up",
                                         "--count",
                                         std::to_string(count),
                                         "--instance-type",
                                         types,
                                         "--fleet",
                                         fleet,
                                         "--ami",
                                         "ami-0123456789abcdef0",
                                         "--manager-url",
                                         "http://10.0.0.5:8700",
                                         "--join-token-file",
                                         token_file.string(),
                                         "--security-group",
                                         "sg-0aa11bb22cc33dd44"};
        args.insert(args.end(), more.begin(), more.end());
        return run(args);
    }
    nlohmann::json status_json(const std::string& fleet) {
        std::vector<std::string> args = {"cloud", "status", "--json"};
        if (!fleet.empty()) args.insert(args.end(), {"--fleet", fleet});
        const auto result = run(args);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return nlohmann::json::parse(result.out);
    }

    FakeEc2 ec2;
    test::ScratchDir dir;
    std::filesystem::path token_file;
};

std::string cli_diagnosis(const SpotfarmRun& run) {
    return "exit " + std::to_string(run.exit_code) + "\n--- stdout\n" + run.out + "--- stderr\n" +
           run.err;
}

TEST(CloudCli, UpStatusDownFindsEverythingByItsTags) {
    CloudCli cli;
    // An instance spotfarm did not launch: no command may touch it.
    util::CurlHttpClient http;
    providers::aws::StaticCredentialsProvider keys(cli.ec2.credentials());
    RecordingSleeper sleeper;
    auto client =
        providers::aws::Ec2Client::create({http, keys, util::steady_clock(), sleeper},
                                          {.region = "us-east-1", .endpoint = cli.ec2.endpoint()})
            .value();
    providers::aws::RunInstancesRequest foreign_launch;
    foreign_launch.image_id = "ami-0fedcba9876543210";
    foreign_launch.instance_type = "t3.micro";
    foreign_launch.spot = false;
    auto foreign = client->run_instances(foreign_launch);
    ASSERT_TRUE(foreign.ok());
    const std::string foreign_id = foreign->launched.instances.at(0).instance_id;

    auto up = cli.up("shot-42", 3, "c7i.4xlarge,c6i.4xlarge");
    ASSERT_EQ(up.exit_code, 0) << cli_diagnosis(up);
    EXPECT_NE(up.out.find("fleet shot-42: launched 3 of 3 instance(s) in us-east-1"),
              std::string::npos)
        << up.out;
    ASSERT_EQ(cli.ec2.instances().size(), 4u);
    for (const auto& instance : cli.ec2.instances()) {
        if (instance.id == foreign_id) continue;
        EXPECT_TRUE(instance.spot);
        EXPECT_EQ(instance.instance_type, "c7i.4xlarge");
        EXPECT_NE(std::find(instance.tags.begin(), instance.tags.end(),
                            providers::aws::Tag{"spotfarm:fleet", "shot-42"}),
                  instance.tags.end());
        EXPECT_TRUE(instance.user_data.starts_with("#cloud-config\n"));
        EXPECT_NE(instance.user_data.find("jt_cloud_cli_0123456789"), std::string::npos);
        EXPECT_EQ(instance.user_data.find(cli.ec2.credentials().secret_access_key),
                  std::string::npos);
        EXPECT_EQ(instance.user_data.find(cli.ec2.credentials().access_key_id), std::string::npos);
    }
    ASSERT_EQ(cli.up("other", 1, "c6i.4xlarge").exit_code, 0);

    cli.ec2.set_spot_price("c7i.4xlarge", "us-east-1a", 0.31);
    auto status = cli.status_json("shot-42");
    ASSERT_EQ(status["instances"].size(), 3u) << status.dump(2);
    EXPECT_EQ(status["running"], 3);
    for (const auto& item : status["instances"]) {
        EXPECT_EQ(item["fleet"], "shot-42");
        EXPECT_EQ(item["type"], "c7i.4xlarge");
        EXPECT_EQ(item["lifecycle"], "spot");
        EXPECT_TRUE(item["state"] == "pending" || item["state"] == "running") << item.dump();
        EXPECT_FALSE(item["launch_time"].get<std::string>().empty());
        EXPECT_TRUE(item["usd"].is_number()) << item.dump();  // priced at the Spot price
    }
    const auto every_fleet = cli.status_json("");
    EXPECT_EQ(every_fleet["instances"].size(), 4u);  // every fleet, not the foreign one
    ASSERT_EQ(every_fleet["notes"].size(), 1u) << every_fleet.dump(2);
    EXPECT_TRUE(
        every_fleet["notes"][0].get<std::string>().starts_with("no Spot price for c6i.4xlarge"));
    auto table = cli.run({"cloud", "status"});
    ASSERT_EQ(table.exit_code, 0) << cli_diagnosis(table);
    for (const auto& item : status["instances"])
        EXPECT_NE(table.out.find(item["id"].get<std::string>()), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("4 of 4 instance(s) running or starting"), std::string::npos)
        << table.out;

    auto down = cli.run({"cloud", "down", "--fleet", "shot-42"});
    ASSERT_EQ(down.exit_code, 0) << cli_diagnosis(down);
    for (const auto& item : status["instances"])
        EXPECT_NE(down.out.find("terminated " + item["id"].get<std::string>()), std::string::npos)
            << down.out;
    EXPECT_NE(down.out.find("3 instance(s) of fleet shot-42 in us-east-1 terminated"),
              std::string::npos)
        << down.out;
    status = cli.status_json("shot-42");
    EXPECT_EQ(status["running"], 0) << status.dump(2);
    for (const auto& item : status["instances"])
        EXPECT_TRUE(item["state"] == "shutting-down" || item["state"] == "terminated");

    // Idempotent: nothing left to terminate is not an error.
    auto again = cli.run({"cloud", "down", "--fleet", "shot-42"});
    EXPECT_EQ(again.exit_code, 0) << cli_diagnosis(again);
    EXPECT_NE(again.out.find("Nothing to terminate"), std::string::npos) << again.out;

    EXPECT_EQ(cli.ec2.launch_templates(), std::vector<std::string>{"spotfarm-other"});

    // --all takes the other fleet too, and still leaves what spotfarm did not launch.
    auto all = cli.run({"cloud", "down", "--all"});
    ASSERT_EQ(all.exit_code, 0) << cli_diagnosis(all);
    EXPECT_TRUE(cli.ec2.launch_templates().empty()) << "the other fleet's template is left";
    EXPECT_NE(all.out.find("1 instance(s) of any spotfarm fleet"), std::string::npos) << all.out;
    for (const auto& instance : cli.ec2.instances()) {
        const bool live =
            instance.state == InstanceState::pending || instance.state == InstanceState::running;
        EXPECT_EQ(live, instance.id == foreign_id) << instance.id;
    }
    EXPECT_EQ(cli.status_json("")["running"], 0);
    EXPECT_EQ(cli.ec2.refused_signatures(), 0);
}

TEST(CloudCli, RejectedCredentialsGiveAClearMessageAndExitCode1) {
    CloudCli cli;
    auto wrong = cli.run({"cloud", "status"}, cli.env("not/the/right/secret"));
    EXPECT_EQ(wrong.exit_code, 1) << cli_diagnosis(wrong);
    EXPECT_NE(wrong.err.find("spotfarm cloud status: AWS rejected the credentials"),
              std::string::npos)
        << wrong.err;
    EXPECT_EQ(wrong.err.find("not/the/right/secret"), std::string::npos);

    cli.ec2.fail_next("", 401, "AuthFailure",
                      "AWS was not able to validate the provided access credentials");
    auto refused = cli.up("shot-1", 2, "c7i.4xlarge");
    EXPECT_EQ(refused.exit_code, 1) << cli_diagnosis(refused);
    EXPECT_NE(refused.err.find("AuthFailure"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("Check the access key and secret"), std::string::npos);
    EXPECT_TRUE(cli.ec2.instances().empty());
}

TEST(CloudCli, NoSpotCapacityFallsBackToOnDemand) {
    CloudCli cli;
    cli.ec2.fail_next("RunInstances", 500, "InsufficientInstanceCapacity",
                      "There is no Spot capacity available that matches your request.");
    auto up = cli.up("shot-7", 2, "c7i.4xlarge", {"--launch-api=run-instances"});
    ASSERT_EQ(up.exit_code, 0) << cli_diagnosis(up);
    EXPECT_NE(up.out.find("note: no Spot capacity for c7i.4xlarge: InsufficientInstanceCapacity"),
              std::string::npos)
        << up.out;
    EXPECT_NE(up.out.find("on-demand"), std::string::npos);
    ASSERT_EQ(cli.ec2.instances().size(), 2u);
    for (const auto& instance : cli.ec2.instances()) EXPECT_FALSE(instance.spot);
    auto status = cli.status_json("shot-7");
    for (const auto& item : status["instances"]) EXPECT_EQ(item["lifecycle"], "on-demand");

    // Refused: Spot only, and no capacity.
    cli.ec2.fail_next("RunInstances", 500, "InsufficientInstanceCapacity", "none");
    auto strict =
        cli.run({"cloud", "up", "--count", "1", "--instance-type", "c7i.4xlarge", "--no-fallback",
                 "--ami", "ami-0123456789abcdef0", "--manager-url", "http://10.0.0.5:8700",
                 "--join-token-file", cli.token_file.string(), "--launch-api=run-instances"});
    EXPECT_EQ(strict.exit_code, 1) << cli_diagnosis(strict);
    EXPECT_NE(strict.err.find("EC2 started no worker"), std::string::npos) << strict.err;
}

TEST(CloudCli, UpSpreadsOverPoolsStatusShowsHowAndDownDeletesTheTemplate) {
    CloudCli cli;
    cli.ec2.add_subnet("subnet-a", "us-east-1a");
    cli.ec2.add_subnet("subnet-b", "us-east-1b");
    for (const char* zone : {"us-east-1a", "us-east-1b"})
        for (const char* type : {"c7i.4xlarge", "c6i.4xlarge"})
            cli.ec2.set_pool_capacity(type, zone, 1);
    cli.ec2.set_pool_capacity("c6i.4xlarge", "us-east-1b", 0);
    auto up = cli.up("shot-9", 4, "c7i.4xlarge,c6i.4xlarge",
                     {"--subnet", "subnet-a,subnet-b", "--spot-strategy", "capacity-optimized"});
    ASSERT_EQ(up.exit_code, 0) << cli_diagnosis(up);
    EXPECT_NE(up.out.find("fleet shot-9: launched 4 of 4 instance(s) in us-east-1"),
              std::string::npos)
        << up.out;
    // Three Spot pools had room for one each; the pool without room is one line; the fourth
    // instance is on-demand.
    EXPECT_NE(up.out.find("note: no Spot capacity for c6i.4xlarge in us-east-1b: "
                          "InsufficientInstanceCapacity"),
              std::string::npos)
        << up.out;
    int spot = 0;
    for (const auto& instance : cli.ec2.instances()) spot += instance.spot;
    EXPECT_EQ(spot, 3);
    EXPECT_EQ(cli.ec2.launch_templates(), std::vector<std::string>{"spotfarm-shot-9"});

    const auto status = cli.status_json("shot-9");
    ASSERT_EQ(status["pools"].size(), 3u) << status.dump(2);
    std::set<std::string> zones;
    for (const auto& item : status["instances"]) zones.insert(item["zone"].get<std::string>());
    EXPECT_EQ(zones, (std::set<std::string>{"us-east-1a", "us-east-1b"}));
    auto table = cli.run({"cloud", "status", "--fleet", "shot-9"});
    ASSERT_EQ(table.exit_code, 0) << cli_diagnosis(table);
    EXPECT_NE(table.out.find("Spread over 3 pool(s): "), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("x c6i.4xlarge in us-east-1a"), std::string::npos) << table.out;

    auto down = cli.run({"cloud", "down", "--fleet", "shot-9"});
    ASSERT_EQ(down.exit_code, 0) << cli_diagnosis(down);
    EXPECT_TRUE(cli.ec2.launch_templates().empty());
    auto again = cli.run({"cloud", "down", "--fleet", "shot-9"});
    EXPECT_EQ(again.exit_code, 0) << cli_diagnosis(again);
    EXPECT_EQ(again.err.find("launch template"), std::string::npos) << again.err;

    auto both = cli.up("shot-10", 1, "c7i.4xlarge", {"--vcpus", "16-32"});
    EXPECT_EQ(both.exit_code, 2) << cli_diagnosis(both);
    EXPECT_NE(both.err.find("--instance-type or --vcpus/--memory-per-vcpu/--gpu, not both"),
              std::string::npos)
        << both.err;
}

TEST(CloudCli, MissingRegionOrCredentialsSayWhatToDo) {
    CloudCli cli;
    std::vector<std::string> no_region;
    for (const auto& entry : cli.env())
        if (!entry.starts_with("AWS_REGION=")) no_region.push_back(entry);
    auto region = cli.run({"cloud", "status"}, no_region);
    EXPECT_EQ(region.exit_code, 2) << cli_diagnosis(region);
    EXPECT_NE(region.err.find("no AWS region given: pass --region"), std::string::npos)
        << region.err;

    std::vector<std::string> no_keys;
    for (const auto& entry : cli.env())
        if (!entry.starts_with("AWS_ACCESS_KEY_ID=") && !entry.starts_with("AWS_SECRET"))
            no_keys.push_back(entry);
    auto keys = cli.run({"cloud", "down", "--all"}, no_keys);
    EXPECT_EQ(keys.exit_code, 2) << cli_diagnosis(keys);
    EXPECT_NE(keys.err.find("no AWS credentials found: set AWS_ACCESS_KEY_ID"), std::string::npos)
        << keys.err;

    auto neither = cli.run({"cloud", "down"});
    EXPECT_EQ(neither.exit_code, 2) << cli_diagnosis(neither);
    EXPECT_NE(neither.err.find("--fleet ID, or --all"), std::string::npos) << neither.err;
}

TEST(CloudCli, UserDataIsPrintedForReviewWithoutAwsKeys) {
    CloudCli cli;
    auto printed = cli.run({"cloud", "user-data", "--manager-url", "http://10.0.0.5:8700",
                            "--join-token-file", cli.token_file.string(), "--efs",
                            "fs-0123456789abcdef0", "--region", "eu-west-1"});
    ASSERT_EQ(printed.exit_code, 0) << cli_diagnosis(printed);
    EXPECT_TRUE(printed.out.starts_with("#cloud-config\n")) << printed.out;
    EXPECT_NE(printed.out.find("fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com:/ /mnt/efs nfs4"),
              std::string::npos);
    EXPECT_NE(printed.out.find("SPOTFARM_JOIN_TOKEN=jt_cloud_cli_0123456789"), std::string::npos);
    EXPECT_EQ(printed.out.find(cli.ec2.credentials().secret_access_key), std::string::npos);
    EXPECT_EQ(printed.out.find(cli.ec2.credentials().access_key_id), std::string::npos);
    EXPECT_TRUE(cli.ec2.calls().empty());  // printing asks nothing of EC2

    auto placeholder = cli.run({"cloud", "user-data", "--manager-url", "http://10.0.0.5:8700"});
    ASSERT_EQ(placeholder.exit_code, 0) << cli_diagnosis(placeholder);
    EXPECT_NE(placeholder.out.find("SPOTFARM_JOIN_TOKEN=REPLACE-WITH-THE-JOIN-TOKEN"),
              std::string::npos);

    auto bad = cli.run({"cloud", "user-data", "--manager-url", "http://x:1/'; reboot"});
    EXPECT_EQ(bad.exit_code, 2) << cli_diagnosis(bad);
    EXPECT_NE(bad.err.find("user-data: the manager URL"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace spotfarm::testing
