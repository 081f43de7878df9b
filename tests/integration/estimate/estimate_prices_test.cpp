// `spotfarm estimate`'s Spot price from EC2 (the stand-in on loopback, which checks every
// signature): asked when AWS keys are at hand, the median of the zones' latest prices used and
// named as the source; the table, with a note why, when EC2 refuses; EC2 not asked without keys.
// One tiny sample frame each: the price side is under test, not the render.

#include <algorithm>
#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fake_ec2.h"
#include "support/run_cli.h"
#include "support/scratch_dir.h"

namespace spotfarm::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct PriceRun {
    CliRun run;
    json estimate;
};

// `machines`: the machine flags; by default one named type.
PriceRun estimate_with(const testing::FakeEc2& ec2, const ScratchDir& dir, bool keys,
                       std::vector<std::string> machines = {"--instance-type", "c7i.4xlarge"}) {
    const auto& c = ec2.credentials();
    std::vector<std::string> args = {
        "estimate",       std::string(SPOTFARM_TEST_SCENES) + "/tiny_cycles.blend",
        "--frames",       "1-2",
        "--sample",       "1",
        "--device",       "cpu",
        "--ec2-endpoint", ec2.endpoint(),
        "--json"};
    args.insert(args.end(), machines.begin(), machines.end());
    auto run = run_cli(args, std::chrono::seconds(120),
                       {{"HOME", dir.path().string()},
                        {"AWS_ACCESS_KEY_ID", keys ? c.access_key_id : ""},
                        {"AWS_SECRET_ACCESS_KEY", keys ? c.secret_access_key : ""},
                        {"AWS_SESSION_TOKEN", ""},
                        {"AWS_PROFILE", ""},
                        {"AWS_REGION", "us-east-1"},
                        {"AWS_EC2_METADATA_DISABLED", "true"}});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    auto parsed = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << run.out;
    return {run, parsed.is_discarded() ? json() : parsed};
}

void set_prices(testing::FakeEc2& ec2) {
    const auto now = std::chrono::system_clock::now();
    ec2.set_spot_price("c7i.4xlarge", "us-east-1a", 0.91, now - 3h);  // superseded
    ec2.set_spot_price("c7i.4xlarge", "us-east-1a", 0.30, now - 1h);
    ec2.set_spot_price("c7i.4xlarge", "us-east-1b", 0.40, now - 2h);
    ec2.set_spot_price("c7i.4xlarge", "us-east-1c", 0.50, now - 1h);
    ec2.set_spot_price("c7i.8xlarge", "us-east-1a", 0.05, now - 1h);  // another type
}

TEST(EstimatePrices, TheSpotPriceComesFromEc2WhenKeysAreAtHand) {
    ScratchDir dir;
    testing::FakeEc2 ec2;
    set_prices(ec2);
    const PriceRun r = estimate_with(ec2, dir, true);
    EXPECT_EQ(r.estimate["usd_per_hour"], 0.40) << r.run.err;
    EXPECT_EQ(r.estimate["price_source"].get<std::string>().rfind("DescribeSpotPriceHistory 20", 0),
              0u)
        << r.estimate["price_source"];
    EXPECT_EQ(r.estimate["spot_price"]["zones"], 3);
    EXPECT_EQ(r.estimate["spot_price"]["lowest_usd_per_hour"], 0.30);
    EXPECT_EQ(r.estimate["price_note"], "");
    const auto calls = ec2.calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].action, "DescribeSpotPriceHistory");
    EXPECT_EQ(ec2.refused_signatures(), 0);
    // One hour of one worker costs about the Spot price: the fleet rows use it.
    const json& one = r.estimate["fleets"][0];
    EXPECT_NEAR(one["cost_usd"].get<double>(), one["instance_hours"].get<double>() * 0.40, 1e-9);
}

TEST(EstimatePrices, DefaultMachinesArePricedOnTheCheapestTypeThatFits) {
    ScratchDir dir;
    testing::FakeEc2 ec2;
    set_prices(ec2);
    ec2.set_spot_price("c7i.large", "us-east-1a", 0.01, std::chrono::system_clock::now() - 1h);
    // No machine flags: 16-32 vCPUs at 2 GiB each, so c7i.8xlarge fits and c7i.large does not.
    const PriceRun r = estimate_with(ec2, dir, true, {"--cloud", "aws"});
    EXPECT_EQ(r.estimate["instance_type"], "c7i.8xlarge") << r.run.err;
    EXPECT_EQ(r.estimate["usd_per_hour"], 0.05);
    EXPECT_EQ(r.estimate["machines"], "16-32 vCPUs, at least 2 GiB per vCPU, no GPU");
    const auto& types = r.estimate["candidate_types"];
    EXPECT_NE(std::find(types.begin(), types.end(), "c7i.4xlarge"), types.end()) << types;
    EXPECT_EQ(std::find(types.begin(), types.end(), "c7i.large"), types.end()) << types;
    const auto calls = ec2.calls();
    ASSERT_EQ(calls.size(), 1u);  // every candidate's price in one call
    int asked = 0;
    for (const auto& [key, value] : calls[0].params) asked += key.starts_with("InstanceType.");
    EXPECT_EQ(asked, int(types.size()));

    // The same choice as the fleet's: --vcpus 32- leaves only the larger types.
    const PriceRun large = estimate_with(ec2, dir, false, {"--vcpus", "32-"});
    for (const auto& type : large.estimate["candidate_types"])
        EXPECT_NE(type, "c7i.4xlarge") << large.estimate["candidate_types"];
}

TEST(EstimatePrices, ARefusalFallsBackToTheTableWithANote) {
    ScratchDir dir;
    testing::FakeEc2 ec2;
    set_prices(ec2);
    ec2.fail_next("DescribeSpotPriceHistory", 403, "UnauthorizedOperation",
                  "You are not authorized to perform this operation.");
    const PriceRun r = estimate_with(ec2, dir, true);
    EXPECT_EQ(r.estimate["price_source"].get<std::string>().rfind("table 20", 0), 0u)
        << r.estimate["price_source"];
    EXPECT_NE(r.estimate["price_note"].get<std::string>().find("UnauthorizedOperation"),
              std::string::npos)
        << r.estimate["price_note"];
    EXPECT_TRUE(r.run.mentions("note: EC2 was not asked or did not answer")) << r.run.err;
    EXPECT_TRUE(r.estimate["spot_price"].is_null());
}

TEST(EstimatePrices, WithoutKeysEc2IsNotAsked) {
    ScratchDir dir;
    testing::FakeEc2 ec2;
    set_prices(ec2);
    const PriceRun r = estimate_with(ec2, dir, false);
    EXPECT_EQ(r.estimate["price_source"].get<std::string>().rfind("table 20", 0), 0u);
    EXPECT_EQ(r.estimate["price_note"], "");
    EXPECT_TRUE(ec2.calls().empty());
}

}  // namespace
}  // namespace spotfarm::test
