#include "estimate/fleet_plan.h"

#include <numeric>
#include <random>

#include <gtest/gtest.h>

namespace spotfarm::estimate {
namespace {

double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

TEST(ListSchedule, EarliestFreeWorkerTakesNextTask) {
    EXPECT_EQ(list_schedule({0, 5}, std::vector<double>{3, 3, 3}), (std::vector<double>{6, 8}));
    EXPECT_EQ(list_schedule({0, 0, 0}, std::vector<double>{}), (std::vector<double>{0, 0, 0}));
    EXPECT_TRUE(list_schedule({}, std::vector<double>{1}).empty());
}

TEST(SimulateFleet, OneWorkerRendersEverything) {
    const std::vector<double> frames{10, 20, 30};
    const FleetRun run =
        simulate_fleet(frames, 1, {.startup_seconds = 90, .scene_load_seconds = 5});
    EXPECT_EQ(run.workers_used, 1u);
    EXPECT_DOUBLE_EQ(run.wall_seconds, 90 + 5 + 60);
    EXPECT_DOUBLE_EQ(run.instance_seconds, 155);
}

TEST(SimulateFleet, SlowestFrameIsTheTail) {
    std::vector<double> frames(100, 10.0);
    frames[50] = 500;
    const FleetParams params{.startup_seconds = 60, .scene_load_seconds = 10};
    for (std::size_t workers : {10u, 50u, 1000u}) {
        const FleetRun run = simulate_fleet(frames, workers, params);
        EXPECT_GE(run.wall_seconds, 60 + 10 + 500) << workers;
    }
    // With plenty of workers the tail is all there is.
    EXPECT_DOUBLE_EQ(simulate_fleet(frames, 1000, params).wall_seconds, 570);
    EXPECT_EQ(simulate_fleet(frames, 1000, params).workers_used, 100u);
}

TEST(SimulateFleet, MoreWorkersNeverSlowerAndBillStartupEach) {
    std::mt19937 rng(42);
    std::lognormal_distribution<double> frame_time(std::log(30.0), 0.8);
    std::vector<double> frames(250);
    for (double& f : frames) f = frame_time(rng);
    const FleetParams params{.startup_seconds = 120, .scene_load_seconds = 15};
    double previous = 1e300;
    for (std::size_t workers = 1; workers <= 80; ++workers) {
        const FleetRun run = simulate_fleet(frames, workers, params);
        EXPECT_LE(run.wall_seconds, previous + 1e-9) << workers;
        previous = run.wall_seconds;
        // Greedy list scheduling keeps every worker busy until its last task.
        EXPECT_NEAR(run.instance_seconds, workers * 135.0 + sum(frames), 1e-6) << workers;
        EXPECT_GE(run.wall_seconds, 135 + sum(frames) / static_cast<double>(workers) - 1e-9);
    }
}

TEST(SimulateFleet, SpeedChunksAndMinimumBilling) {
    const std::vector<double> frames(10, 6.0);
    const FleetRun fast = simulate_fleet(frames, 1, {.scene_load_seconds = 4, .speed_factor = 2});
    EXPECT_DOUBLE_EQ(fast.wall_seconds, 2 + 30);
    EXPECT_DOUBLE_EQ(fast.instance_seconds, 60);  // billed the minimum minute
    const FleetRun chunked = simulate_fleet(frames, 4, {.chunk_size = 5, .min_billed_seconds = 0});
    EXPECT_EQ(chunked.workers_used, 2u);
    EXPECT_DOUBLE_EQ(chunked.wall_seconds, 30);
    EXPECT_DOUBLE_EQ(chunked.instance_seconds, 60);
    EXPECT_EQ(simulate_fleet({}, 4, {}).workers_used, 0u);
}

TEST(FleetTable, RowsForDefaultSizes) {
    std::vector<double> seconds(120);
    for (std::size_t i = 0; i < seconds.size(); ++i) seconds[i] = 20 + (i % 7);
    RenderTimeEstimate estimate;
    estimate.frame_seconds = seconds;
    estimate.total_seconds = sum(seconds);
    estimate.low_seconds = estimate.total_seconds * 0.8;
    estimate.high_seconds = estimate.total_seconds * 1.3;
    const FleetParams params{.startup_seconds = 100, .scene_load_seconds = 20};
    const auto rows = fleet_table(estimate, params, 0.5);
    ASSERT_EQ(rows.size(), 5u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const FleetRow& row = rows[i];
        EXPECT_EQ(row.workers, k_fleet_sizes[i]);
        EXPECT_LE(row.wall_low_seconds, row.wall_seconds);
        EXPECT_LE(row.wall_seconds, row.wall_high_seconds);
        EXPECT_DOUBLE_EQ(row.cost, row.instance_hours * 0.5);
        EXPECT_DOUBLE_EQ(row.cost_high, row.instance_hours_high * 0.5);
        EXPECT_NEAR(row.instance_hours, (row.workers * 120.0 + estimate.total_seconds) / 3600,
                    1e-9);
        if (i > 0) {
            EXPECT_LE(row.wall_seconds, rows[i - 1].wall_seconds);
            EXPECT_GT(row.cost, rows[i - 1].cost);  // each extra worker pays its start-up
        }
    }
    EXPECT_DOUBLE_EQ(rows[0].wall_seconds, 120 + estimate.total_seconds);
}

TEST(SpeedFactor, FromThreads) {
    EXPECT_DOUBLE_EQ(speed_factor_from_threads(16, 2), 8);
    EXPECT_DOUBLE_EQ(speed_factor_from_threads(0, 2), 1);
}

}  // namespace
}  // namespace spotfarm::estimate
