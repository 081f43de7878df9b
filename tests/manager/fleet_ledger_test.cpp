// The ledger of instance-hours: prices fixed at first sight, stops closing entries, and the
// share of the fleet's time that falls within a job's lifetime.
#include "manager/fleet_ledger.h"

#include <gtest/gtest.h>

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;

providers::WorkerInstance instance(const std::string& id, const std::string& kind, bool spot,
                                   std::optional<WallTime> started = {}) {
    providers::WorkerInstance i;
    i.id = id;
    i.kind = kind;
    i.interruptible = spot;
    i.started_at = started;
    return i;
}

estimate::PriceTable table() {
    estimate::PriceTable t;
    estimate::InstancePrice c7i;
    c7i.type = "c7i.4xlarge";
    c7i.on_demand_usd_per_hour = 0.8;
    c7i.typical_spot_discount = 0.75;
    t.instances.push_back(c7i);
    return t;
}

TEST(FleetLedger, CountsHoursAtEachInstancesPrice) {
    FleetLedger ledger(price_from_table(table()));
    const WallTime t0{std::chrono::seconds(1'800'000'000)};
    ledger.observe(instance("spot", "c7i.4xlarge", true, t0), t0 + 5min);  // launched before seen
    ledger.observe(instance("od", "c7i.4xlarge", false), t0);
    ledger.observe(instance("odd", "x9.huge", false), t0);
    ledger.observe(instance("spot", "c7i.4xlarge", true, t0 + 1h), t0 + 1h);  // known: unchanged
    ledger.close("od", t0 + 30min);
    ledger.close("od", t0 + 2h);  // the first close wins

    const FleetCost cost = ledger.cost(t0 + 1h);
    EXPECT_NEAR(cost.instance_hours, 1 + 0.5 + 1, 1e-9);
    EXPECT_NEAR(cost.usd, 1 * 0.2 + 0.5 * 0.8, 1e-9);
    ASSERT_EQ(cost.notes.size(), 1u);
    EXPECT_EQ(cost.notes[0], "no price for x9.huge: 1.00 instance-hours not counted");
    EXPECT_TRUE(ledger.is_open("spot"));
    EXPECT_FALSE(ledger.is_open("od"));
}

TEST(FleetLedger, CostBetweenCountsOnlyTheWindow) {
    FleetLedger ledger(free_of_charge());
    const WallTime t0{std::chrono::seconds(1'800'000'000)};
    ledger.observe(instance("a", "local", false), t0);
    ledger.observe(instance("b", "local", false), t0 + 2h);
    ledger.close("a", t0 + 3h);
    const FleetCost window = ledger.cost_between(t0 + 1h, t0 + 4h, t0 + 10h);
    EXPECT_NEAR(window.instance_hours, 2 + 2, 1e-9);
    EXPECT_EQ(window.usd, 0);
    EXPECT_TRUE(window.notes.empty());
    EXPECT_NEAR(ledger.cost_between(t0 + 20h, t0 + 30h, t0 + 10h).instance_hours, 0, 1e-9);
}

TEST(FleetLedger, KeepsTheProvidersLatestDetailAndCountsInterruptionsOnce) {
    FleetLedger ledger(free_of_charge());
    const WallTime t0{std::chrono::seconds(1'800'000'000)};
    auto pending = instance("50_0", "slurm", false);
    pending.detail = "PENDING (Resources)";
    ledger.observe(pending, t0);
    auto running = instance("50_0", "slurm", false, t0 + 5min);
    running.detail = "RUNNING";
    ledger.observe(running, t0 + 5min);
    ledger.observe(instance("50_1", "slurm", false), t0);
    ASSERT_EQ(ledger.entries().size(), 2u);
    EXPECT_EQ(ledger.entries()[0].detail, "RUNNING");
    EXPECT_EQ(ledger.entries()[0].from, t0) << "the launch stays where it was first seen";
    EXPECT_EQ(ledger.entries()[1].detail, "");
    EXPECT_EQ(ledger.interruptions(), 0);

    ledger.mark_interrupted("50_0");
    ledger.mark_interrupted("50_0");
    ledger.mark_interrupted("unknown");
    EXPECT_EQ(ledger.interruptions(), 1);
    EXPECT_TRUE(ledger.entries()[0].interrupted);
    EXPECT_FALSE(ledger.entries()[1].interrupted);
}

}  // namespace
}  // namespace spotfarm::manager
