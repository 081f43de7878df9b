#include "cli/estimate/estimate_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::cli {
namespace {

EstimatePricing pricing() {
    EstimatePricing p;
    p.instance.type = "c7i.4xlarge";
    p.instance.vcpus = 16;
    p.instance.on_demand_usd_per_hour = 0.8;
    p.instance.typical_spot_discount = 0.5;
    p.usd_per_hour = 0.4;
    p.speed_factor = 2;
    p.local_threads = 8;
    p.table_generated = "2026-01-02";
    p.table_region = "us-east-1";
    p.table_source = "built-in";
    return p;
}

SampleMeasurement samples() {
    SampleMeasurement m;
    m.scene_file = "shot.blend";
    m.blender_version = "3.4.1";
    m.engine = "CYCLES";
    m.device = "CPU";
    m.seconds = {{1, 10}, {50, 30}, {100, 12}};
    m.load_seconds = 4;
    return m;
}

EstimateArgs args(std::size_t count = 0) {
    EstimateArgs a;
    a.count = count;
    a.startup_seconds = 60;
    return a;
}

constexpr std::int64_t k_now_ms = 1'800'000'000'000;

// The text with its line breaks and indents folded into single spaces, for phrases that wrap.
std::string flat(const std::string& text) {
    std::string out;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

std::size_t longest_line(const std::string& text) {
    std::size_t longest = 0, start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        longest = std::max(longest, end - start);
    }
    return std::max(longest, text.size() - start);
}

TEST(EstimateReport, FleetSizesAddTheCountInOrder) {
    EXPECT_EQ(estimate_fleet_sizes(0), (std::vector<std::size_t>{1, 5, 10, 25, 50}));
    EXPECT_EQ(estimate_fleet_sizes(20), (std::vector<std::size_t>{1, 5, 10, 20, 25, 50}));
    EXPECT_EQ(estimate_fleet_sizes(10), (std::vector<std::size_t>{1, 5, 10, 25, 50}));
    EXPECT_EQ(estimate_fleet_sizes(80), (std::vector<std::size_t>{1, 5, 10, 25, 50, 80}));
}

TEST(EstimateReport, JsonCarriesTotalsIntervalAndFleets) {
    auto frames = *core::FrameSet::parse("1-100");
    auto report = make_estimate_report(frames, samples(), pricing(), args(20), k_now_ms);
    ASSERT_TRUE(report.ok()) << report.error().message;
    const nlohmann::json j = estimate_json(*report);
    EXPECT_EQ(j["frames"], 100);
    EXPECT_EQ(j["frame_set"], "1-100");
    EXPECT_EQ(j["sampled_frames"], nlohmann::json::array({1, 50, 100}));
    const double total = j["render_seconds_total"];
    EXPECT_NEAR(total, report->render.total_seconds, 1e-9);
    EXPECT_GT(total, 100 * 10.0);
    EXPECT_LT(total, 100 * 30.0);
    EXPECT_LT(j["render_seconds_low"].get<double>(), total);
    EXPECT_GT(j["render_seconds_high"].get<double>(), total);
    ASSERT_EQ(j["fleets"].size(), 6u);
    EXPECT_EQ(j["fleets"][3]["workers"], 20);
    // More workers: less wall time, never less than start-up + load + the slowest frame.
    double previous = 1e300;
    for (const auto& row : j["fleets"]) {
        const double wall = row["wall_seconds"];
        EXPECT_LT(wall, previous);
        EXPECT_GE(wall, 60 + 4 / 2.0 + report->render.max_frame_seconds / 2);
        EXPECT_NEAR(row["cost_usd"].get<double>(), row["instance_hours"].get<double>() * 0.4, 1e-9);
        previous = wall;
    }
    // One worker at twice this machine's speed: start-up + load + all frames / 2.
    EXPECT_NEAR(j["fleets"][0]["wall_seconds"].get<double>(), 60 + 2 + total / 2, 1e-6);
    EXPECT_EQ(j["market"], "spot");
    EXPECT_EQ(j["price_table"]["generated"], "2026-01-02");
    EXPECT_NEAR(j["running_length_seconds"]["25"].get<double>(), 4.0, 1e-12);
}

TEST(EstimateReport, TextShowsTheFiguresPeopleNeed) {
    auto frames = *core::FrameSet::parse("1-100");
    auto report = make_estimate_report(frames, samples(), pricing(), args(20), k_now_ms);
    ASSERT_TRUE(report.ok());
    const std::string text = format_estimate(*report, /*utc=*/true);
    EXPECT_LE(longest_line(text), 100u) << text;
    for (const char* expected :
         {"Estimate for shot.blend, frames 1-100 (100 frames), from 3 sampled frames",
          "1: 10.00 s, 50: 30.00 s, 100: 12.00 s", "90 % interval", "4.17 s at 24", "4.00 s at 25",
          "c7i.4xlarge Spot instances ($0.4000/h each)", "* 20", "WORKERS", "2027-01-15",
          "built-in table of 2026-01-02",
          "16 vCPUs, this machine 8 hardware "
          "threads: taken as 2.00x",
          "50 % less"}) {
        EXPECT_NE(flat(text).find(expected), std::string::npos)
            << "missing '" << expected << "' in\n"
            << text;
    }
}

TEST(EstimateReport, FarmSamplesAndALiveSpotPriceAreSaidSo) {
    auto frames = *core::FrameSet::parse("1-100");
    SampleMeasurement farm = samples();
    farm.farm = "http://farm:8700";
    farm.farm_workers = 2;
    farm.engine.clear();
    EstimatePricing p = pricing();
    price_for_farm_samples(p);
    providers::aws::CurrentSpotPrice live;
    live.median_usd_per_hour = 0.3;
    live.lowest_usd_per_hour = 0.25;
    live.highest_usd_per_hour = 0.5;
    live.zones = 3;
    live.as_of = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2};
    use_live_spot_price(p, live, "eu-west-1");
    auto report = make_estimate_report(frames, farm, p, args(), k_now_ms);
    ASSERT_TRUE(report.ok());
    const std::string text = format_estimate(*report, true);
    EXPECT_LE(longest_line(text), 100u) << text;
    for (const char* expected :
         {"rendered on the farm at http://farm:8700 (2 workers)", "on one of the farm's workers",
          "samples ran on the farm's workers",
          "Spot $0.3000/h, the median of the latest prices in 3 zones of eu-west-1",
          "DescribeSpotPriceHistory 2026-03-02T00:00:00Z"}) {
        EXPECT_NE(flat(text).find(expected), std::string::npos)
            << "missing '" << expected << "' in\n"
            << text;
    }
    EXPECT_NE(text.find("Blender 3.4.1\n"), std::string::npos) << text;  // engine unknown
    const nlohmann::json j = estimate_json(*report);
    EXPECT_EQ(j["price_source"], "DescribeSpotPriceHistory 2026-03-02T00:00:00Z");
    EXPECT_EQ(j["sampled_on"], "http://farm:8700");
    EXPECT_EQ(j["farm_workers"], 2);
    EXPECT_EQ(j["speed_factor"], 1.0);
    EXPECT_EQ(j["usd_per_hour"], 0.3);
    EXPECT_EQ(j["spot_price"]["zones"], 3);

    // Asked but not answered: the table, and why.
    EstimatePricing table = pricing();
    table.price_source = "table 2026-01-02";
    table.price_note = "EC2 did not answer";
    auto fallback = make_estimate_report(frames, samples(), table, args(), k_now_ms);
    EXPECT_NE(flat(format_estimate(*fallback, true))
                  .find("50 % less (typical; Spot prices "
                        "move). EC2 did not answer"),
              std::string::npos);
    EXPECT_EQ(estimate_json(*fallback)["price_source"], "table 2026-01-02");
    EXPECT_EQ(estimate_json(*fallback)["sampled_on"], "here");
}

TEST(EstimateReport, OneSampleHasNoInterval) {
    auto frames = *core::FrameSet::parse("1-10");
    SampleMeasurement one = samples();
    one.seconds = {{5, 2}};
    auto report = make_estimate_report(frames, one, pricing(), args(), k_now_ms);
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->render.interval_known);
    EXPECT_NE(format_estimate(*report, true).find("no interval"), std::string::npos);
    EXPECT_EQ(estimate_json(*report)["interval_known"], false);
}

TEST(EstimateReport, NoSamplesIsAnError) {
    auto frames = *core::FrameSet::parse("1-10");
    SampleMeasurement none = samples();
    none.seconds.clear();
    auto report = make_estimate_report(frames, none, pricing(), args(), k_now_ms);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().kind, util::ErrorKind::invalid);
}

}  // namespace
}  // namespace spotfarm::cli
