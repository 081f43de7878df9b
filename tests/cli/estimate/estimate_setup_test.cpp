#include "cli/estimate/estimate_setup.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"

namespace spotfarm::cli {
namespace {

using spotfarm::testing::fails_mentioning;

estimate::PriceTable table() {
    auto t = estimate::parse_price_table(R"({"generated": "2026-01-02", "region": "eu-west-1",
        "instances": [
          {"type": "c7i.4xlarge", "vcpus": 16, "memory_gib": 32, "on_demand_usd_per_hour": 0.8,
           "typical_spot_discount": 0.6},
          {"type": "c7i.8xlarge", "vcpus": 32, "memory_gib": 64, "on_demand_usd_per_hour": 1.6}]})",
                                         "test");
    EXPECT_TRUE(t.ok());
    return *t;
}

estimate::MachineChoice named(const std::string& type) {
    estimate::MachineChoice choice;
    choice.types = {type};
    return choice;
}

TEST(EstimateSetup, DefaultSampleCountGrowsWithTheRootOfTheFrames) {
    EXPECT_EQ(default_sample_count(1), 1u);
    EXPECT_EQ(default_sample_count(3), 3u);
    EXPECT_EQ(default_sample_count(12), 3u);
    EXPECT_EQ(default_sample_count(60), 8u);
    EXPECT_EQ(default_sample_count(250), 10u);
    EXPECT_EQ(default_sample_count(100000), 10u);
}

TEST(EstimateSetup, BadFramesSayWhatAFrameSetLooksLike) {
    auto bad = parse_estimate_frames("10-1");
    EXPECT_TRUE(fails_mentioning(bad, "bad --frames '10-1'"));
    EXPECT_TRUE(fails_mentioning(bad, "1-250"));
    EXPECT_EQ(bad.error().kind, util::ErrorKind::invalid);
    EXPECT_TRUE(fails_mentioning(parse_estimate_frames("abc"), "bad --frames 'abc'"));
    ASSERT_TRUE(parse_estimate_frames("1-12").ok());
    EXPECT_EQ(parse_estimate_frames("1-12")->size(), 12u);
}

TEST(EstimateSetup, SamplesAreSpreadFirstAndLastIncluded) {
    auto frames = *core::FrameSet::parse("1-12");
    auto chosen = estimate_sample_frames(frames, 5);
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(*chosen, (std::vector<int>{1, 4, 7, 9, 12}));
    auto defaulted = estimate_sample_frames(frames, 0);
    ASSERT_TRUE(defaulted.ok());
    EXPECT_EQ(defaulted->size(), default_sample_count(12));
    EXPECT_EQ(defaulted->front(), 1);
    EXPECT_EQ(defaulted->back(), 12);
}

TEST(EstimateSetup, MoreSamplesThanFramesIsRefused) {
    auto frames = *core::FrameSet::parse("1-12");
    auto chosen = estimate_sample_frames(frames, 13);
    EXPECT_TRUE(fails_mentioning(chosen, "--sample 13 is more than the 12 frames of 1-12"));
    EXPECT_EQ(chosen.error().kind, util::ErrorKind::invalid);
    EXPECT_EQ(estimate_sample_frames(frames, 12)->size(), 12u);
}

TEST(EstimateSetup, UnknownInstanceTypeListsTheKnownOnes) {
    auto p = resolve_pricing(table(), named("c9z.huge"), false, 0, 4);
    EXPECT_TRUE(fails_mentioning(p, "unknown instance type 'c9z.huge'"));
    EXPECT_TRUE(fails_mentioning(p, "c7i.4xlarge, c7i.8xlarge"));
    EXPECT_TRUE(fails_mentioning(p, "--prices"));
    EXPECT_EQ(p.error().kind, util::ErrorKind::invalid);
}

TEST(EstimateSetup, SpotIsTheDiscountedPriceAndSpeedComesFromCores) {
    auto spot = resolve_pricing(table(), named("c7i.4xlarge"), false, 0, 4);
    ASSERT_TRUE(spot.ok());
    EXPECT_TRUE(spot->spot);
    EXPECT_DOUBLE_EQ(spot->usd_per_hour, 0.8 * 0.4);
    EXPECT_DOUBLE_EQ(spot->speed_factor, 4.0);  // 16 vCPUs against 4 threads
    EXPECT_FALSE(spot->speed_factor_given);
    EXPECT_EQ(spot->table_generated, "2026-01-02");

    auto on_demand = resolve_pricing(table(), named("c7i.8xlarge"), true, 2.5, 4);
    ASSERT_TRUE(on_demand.ok());
    EXPECT_FALSE(on_demand->spot);
    EXPECT_DOUBLE_EQ(on_demand->usd_per_hour, 1.6);
    EXPECT_DOUBLE_EQ(on_demand->speed_factor, 2.5);
    EXPECT_TRUE(on_demand->speed_factor_given);
}

TEST(EstimateSetup, ALiveSpotPriceReplacesTheTablesAndSaysWhereItCameFrom) {
    auto p = resolve_pricing(table(), named("c7i.4xlarge"), false, 0, 4);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->price_source, "table 2026-01-02");
    providers::aws::CurrentSpotPrice live;
    live.median_usd_per_hour = 0.27;
    live.zones = 3;
    live.as_of = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours(10);
    use_live_spot_price(*p, live, "eu-west-1");
    EXPECT_DOUBLE_EQ(p->usd_per_hour, 0.27);
    EXPECT_EQ(p->price_source, "DescribeSpotPriceHistory 2026-03-02T10:00:00Z");
    EXPECT_EQ(p->live_region, "eu-west-1");

    auto on_demand = resolve_pricing(table(), named("c7i.4xlarge"), true, 0, 4);
    use_live_spot_price(*on_demand, live, "eu-west-1");  // on-demand keeps its list price
    EXPECT_DOUBLE_EQ(on_demand->usd_per_hour, 0.8);
    EXPECT_EQ(on_demand->price_source, "table 2026-01-02");
}

TEST(EstimateSetup, FarmSamplesSetTheSpeedUnlessGiven) {
    auto p = resolve_pricing(table(), named("c7i.4xlarge"), false, 0, 4);
    price_for_farm_samples(*p);
    EXPECT_DOUBLE_EQ(p->speed_factor, 1.0);
    EXPECT_TRUE(p->speed_from_farm);
    auto given = resolve_pricing(table(), named("c7i.4xlarge"), false, 3, 4);
    price_for_farm_samples(*given);
    EXPECT_DOUBLE_EQ(given->speed_factor, 3.0);
}

TEST(EstimateSetup, TheDefaultMachinesAreTheFleetsAttributesPricedOnTheCheapest) {
    // No machine flags: the fleet's default requirements, 16-32 vCPUs and 2 GiB per vCPU.
    auto choice = machine_choice(LaunchFlags{});
    ASSERT_TRUE(choice.ok()) << choice.error().message;
    auto p = resolve_pricing(table(), *choice, false, 0, 16);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->candidates, (std::vector<std::string>{"c7i.4xlarge", "c7i.8xlarge"}));
    EXPECT_EQ(p->machines, "16-32 vCPUs, at least 2 GiB per vCPU, no GPU");
    EXPECT_EQ(p->instance.type, "c7i.4xlarge");  // $0.32/h Spot against $1.60/h
    EXPECT_DOUBLE_EQ(p->usd_per_hour, 0.8 * 0.4);
    EXPECT_DOUBLE_EQ(p->speed_factor, 1.0);

    LaunchFlags wide;
    wide.vcpus = "32-";
    EXPECT_EQ(resolve_pricing(table(), machine_choice(wide).value(), false, 0, 16)->instance.type,
              "c7i.8xlarge");
    LaunchFlags gpu;
    gpu.gpu = true;
    auto none = resolve_pricing(table(), machine_choice(gpu).value(), false, 0, 16);
    EXPECT_TRUE(fails_mentioning(none,
                                 "no instance in the price table (test, 2026-01-02) has "
                                 "4+ vCPUs, a GPU"));
    EXPECT_EQ(none.error().kind, util::ErrorKind::invalid);
}

TEST(EstimateSetup, TheCheapestLiveSpotPriceOfTheCandidatesPricesTheRender) {
    auto p = resolve_pricing(table(), machine_choice(LaunchFlags{}).value(), false, 0, 4);
    ASSERT_TRUE(p.ok());
    providers::aws::CurrentSpotPrice small, large, other;
    small.instance_type = "c7i.4xlarge";
    small.median_usd_per_hour = 0.50;
    large.instance_type = "c7i.8xlarge";
    large.median_usd_per_hour = 0.45;  // a bargain today
    other.instance_type = "m7i.4xlarge";
    other.median_usd_per_hour = 0.01;  // not a candidate
    EXPECT_TRUE(use_cheapest_live_spot_price(*p, table(), {small, large, other}, "eu-west-1"));
    EXPECT_EQ(p->instance.type, "c7i.8xlarge");
    EXPECT_DOUBLE_EQ(p->usd_per_hour, 0.45);
    EXPECT_DOUBLE_EQ(p->speed_factor, 8.0);  // 32 vCPUs against 4 threads
    EXPECT_FALSE(use_cheapest_live_spot_price(*p, table(), {other}, "eu-west-1"));
}

TEST(EstimateSetup, OptionsThatCannotWorkAreRefused) {
    EstimateArgs a;
    EXPECT_TRUE(check_estimate_args(a).ok());
    a.manager = "http://farm:8080";
    EXPECT_TRUE(fails_mentioning(check_estimate_args(a), "--manager needs --frames"));
    a.render.frames = "1-250";
    EXPECT_TRUE(check_estimate_args(a).ok());
    a = {};
    a.sample_output = "/mnt/efs/tmp";
    EXPECT_TRUE(fails_mentioning(check_estimate_args(a), "--sample-output is for --manager"));
    a = {};
    a.confidence = 1.5;
    EXPECT_TRUE(fails_mentioning(check_estimate_args(a), "--confidence 1.5"));
    a = {};
    a.speed_factor = -1;
    EXPECT_TRUE(fails_mentioning(check_estimate_args(a), "--speed-factor"));
}

TEST(EstimateSetup, TheFarmsChunkIsOneFrameUnlessGiven) {
    EstimateArgs a;
    EXPECT_EQ(a.chunk(), 1u);
    a.render.chunk = 8;
    EXPECT_EQ(a.chunk(), 8u);
}

}  // namespace
}  // namespace spotfarm::cli
