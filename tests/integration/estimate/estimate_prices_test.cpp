// `spotfarm estimate`'s Spot price from EC2 (the stand-in on loopback, which checks every
// signature): asked when AWS keys are at hand, the median of the zones' latest prices used and
// named as the source; the table, with a note why, when EC2 refuses; EC2 not asked without keys.
// One tiny sample frame each: the price side is under test, not the render.

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

PriceRun estimate_with(const testing::FakeEc2& ec2, const ScratchDir& dir, bool keys) {
    const auto& c = ec2.credentials();
    auto run = run_cli(
        {"estimate", std::string(SPOTFARM_TEST_SCENES) + "/tiny_cycles.blend", "--frames", "1-2",
         "--sample", "1", "--device", "cpu", "--ec2-endpoint", ec2.endpoint(), "--json"},
        std::chrono::seconds(120),
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
