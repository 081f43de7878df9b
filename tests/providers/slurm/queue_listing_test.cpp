#include "providers/slurm/queue_listing.h"

#include <gtest/gtest.h>

namespace spotfarm::providers::slurm {
namespace {

TEST(QueueListing, ReadsSqueueLines) {
    const auto workers = parse_squeue(
        "41_0|RUNNING|node7|render|2026-12-05T10:00:00|None\n"
        "41_1|PENDING|(null)|render|N/A|Resources\n"
        "41_[2-3]|PENDING|(null)|render|N/A|Priority\n"
        "42|RUNNING|node1|render|2026-12-05T10:00:00|None\n"
        "garbage\n");
    ASSERT_EQ(workers.size(), 2u);
    EXPECT_EQ(workers[0].id, "41_0");
    EXPECT_EQ(workers[0].state, WorkerState::running);
    EXPECT_EQ(workers[0].address, "node7");
    EXPECT_EQ(workers[0].zone, "render");
    EXPECT_EQ(workers[0].kind, "slurm");
    EXPECT_EQ(workers[0].reason, "RUNNING");
    EXPECT_TRUE(workers[0].started_at.has_value());
    EXPECT_EQ(workers[1].state, WorkerState::starting);
    EXPECT_EQ(workers[1].address, "");
    EXPECT_EQ(workers[1].reason, "PENDING (Resources)");
    EXPECT_FALSE(workers[1].started_at.has_value());
}

TEST(QueueListing, SlurmsOwnStateIsTheInstancesDetail) {
    const auto workers = parse_squeue(
        "43_0|PENDING|(null)|gpu|N/A|Resources\n"
        "43_1|RUNNING|node2|gpu|2026-12-05T10:00:00|None\n"
        "43_2|COMPLETING|node3|gpu|2026-12-05T10:00:00|\n");
    ASSERT_EQ(workers.size(), 3u);
    EXPECT_EQ(workers[0].detail, "PENDING (Resources)");
    EXPECT_EQ(workers[1].detail, "RUNNING") << "no reason while it runs";
    EXPECT_EQ(workers[2].detail, "COMPLETING");
    EXPECT_EQ(workers[2].state, WorkerState::stopping);
}

TEST(QueueListing, MapsSlurmStates) {
    EXPECT_EQ(state_of("PENDING"), WorkerState::starting);
    EXPECT_EQ(state_of("CONFIGURING"), WorkerState::starting);
    EXPECT_EQ(state_of("RUNNING"), WorkerState::running);
    EXPECT_EQ(state_of("COMPLETING"), WorkerState::stopping);
    EXPECT_EQ(state_of("TIMEOUT"), WorkerState::stopped);
    EXPECT_EQ(state_of("CANCELLED"), WorkerState::stopped);
    EXPECT_EQ(state_of(""), WorkerState::unknown);
}

TEST(QueueListing, ReadsSacctLines) {
    const auto states =
        parse_sacct("41_0|TIMEOUT|0:0\n41_1|CANCELLED by 0|0:15\n41|COMPLETED|0:0\n");
    ASSERT_EQ(states.size(), 2u);
    EXPECT_EQ(states.at("41_0"), "TIMEOUT 0:0");
    EXPECT_EQ(states.at("41_1"), "CANCELLED by 0 0:15");
}

}  // namespace
}  // namespace spotfarm::providers::slurm
