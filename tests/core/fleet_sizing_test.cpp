// The fleet's size from the work left: bounds, replacement, scale to zero after the grace, and
// instances whose worker never registers.
#include "core/fleet_sizing.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace spotfarm::core {
namespace {

using namespace std::chrono_literals;

FleetBounds bounds(int min, int max, int per_worker) {
    FleetBounds b;
    b.min_workers = min;
    b.max_workers = max;
    b.frames_per_worker = per_worker;
    b.idle_grace = 5min;
    b.register_timeout = 10min;
    return b;
}

// A fleet whose instances all launched at the clock's present, registered or not.
struct Fleet {
    util::FakeClock clock;
    std::vector<InstanceView> instances;

    InstanceView& add(const std::string& id, bool registered, bool busy = false) {
        InstanceView view;
        view.id = id;
        view.launched_at = clock.now();
        view.accounted_at = clock.now();
        view.registered = registered;
        view.ever_registered = registered;
        view.busy = busy;
        instances.push_back(view);
        return instances.back();
    }
    FleetSituation situation(std::int64_t queued, std::int64_t active,
                             std::optional<util::Clock::time_point> empty_since = {}) const {
        return {clock.now(), queued, active, empty_since, instances};
    }
};

std::vector<std::string> ids(const FleetDecision& decision) {
    std::vector<std::string> out;
    for (const auto& order : decision.to_stop) out.push_back(order.id);
    return out;
}

TEST(FleetSizing, WantsOneWorkerPerFramesPerWorkerWithinBounds) {
    Fleet fleet;
    const auto b = bounds(0, 10, 8);
    EXPECT_EQ(decide_fleet(b, fleet.situation(1, 0)).to_start, 1);
    EXPECT_EQ(decide_fleet(b, fleet.situation(8, 0)).to_start, 1);
    EXPECT_EQ(decide_fleet(b, fleet.situation(9, 0)).to_start, 2);
    EXPECT_EQ(decide_fleet(b, fleet.situation(30, 10)).to_start, 5);  // queued and active count
    EXPECT_EQ(decide_fleet(b, fleet.situation(1000, 0)).to_start, 10);
    EXPECT_EQ(decide_fleet(b, fleet.situation(1000, 0)).wanted, 10);
    EXPECT_EQ(decide_fleet(bounds(3, 10, 8), fleet.situation(1, 0)).to_start, 3);
}

TEST(FleetSizing, StartsOnlyWhatIsMissing) {
    Fleet fleet;
    fleet.add("a", true, true);
    fleet.add("b", false);
    const auto decision = decide_fleet(bounds(0, 10, 10), fleet.situation(40, 10));
    EXPECT_EQ(decision.wanted, 5);
    EXPECT_EQ(decision.to_start, 3);
    EXPECT_TRUE(decision.to_stop.empty());
}

TEST(FleetSizing, StartsNothingWhenNothingIsQueuedButKeepsTheMinimum) {
    Fleet fleet;
    fleet.add("a", true, true);
    // 30 frames are being rendered by one worker; a new one would have nothing to claim.
    EXPECT_EQ(decide_fleet(bounds(0, 10, 10), fleet.situation(0, 30)).to_start, 0);
    EXPECT_EQ(decide_fleet(bounds(2, 10, 10), fleet.situation(0, 30)).to_start, 1);
    Fleet empty;
    EXPECT_EQ(decide_fleet(bounds(2, 10, 10), empty.situation(0, 0)).to_start, 2);
    EXPECT_EQ(decide_fleet(bounds(0, 10, 10), empty.situation(0, 0)).to_start, 0);
}

TEST(FleetSizing, ReplacesAnInstanceThatIsNoLongerLive) {
    Fleet fleet;
    fleet.add("a", true, true);
    fleet.add("b", true, true);
    fleet.add("c", true, true);
    const auto b = bounds(0, 3, 10);
    EXPECT_EQ(decide_fleet(b, fleet.situation(50, 30)).to_start, 0);
    // "b" was interrupted: the controller no longer lists it, and its task is queued again.
    fleet.instances.erase(fleet.instances.begin() + 1);
    EXPECT_EQ(decide_fleet(b, fleet.situation(60, 20)).to_start, 1);
}

TEST(FleetSizing, StopsAnInstanceWhoseWorkerNeverRegistersAfterTheTimeout) {
    Fleet fleet;
    fleet.add("slow", false);
    fleet.clock.advance(2min);
    fleet.add("fresh", false);
    fleet.add("ok", true, true);
    const auto b = bounds(0, 3, 10);

    fleet.clock.advance(7min);  // "slow" is 9 minutes old
    auto decision = decide_fleet(b, fleet.situation(100, 10));
    EXPECT_TRUE(decision.to_stop.empty());
    EXPECT_EQ(decision.to_start, 0);

    fleet.clock.advance(1min);  // 10 minutes: timed out, and replaced at once
    decision = decide_fleet(b, fleet.situation(100, 10));
    ASSERT_EQ(decision.to_stop.size(), 1u);
    EXPECT_EQ(decision.to_stop[0].id, "slow");
    EXPECT_EQ(decision.to_stop[0].reason, InstanceStopReason::never_registered);
    EXPECT_EQ(decision.live, 2);
    EXPECT_EQ(decision.to_start, 1);
}

TEST(FleetSizing, StopsAnInstanceWhoseWorkerWentAwayAfterTheTimeout) {
    Fleet fleet;
    InstanceView& lost = fleet.add("lost", false);
    lost.ever_registered = true;
    fleet.clock.advance(10min);
    const auto decision = decide_fleet(bounds(0, 3, 10), fleet.situation(5, 0));
    ASSERT_EQ(decision.to_stop.size(), 1u);
    EXPECT_EQ(decision.to_stop[0].reason, InstanceStopReason::worker_lost);
    EXPECT_EQ(decision.to_start, 1);
}

TEST(FleetSizing, KeepsAnIdleFleetDuringTheGraceThenScalesToZero) {
    Fleet fleet;
    fleet.add("a", true);
    fleet.add("b", true);
    fleet.add("c", false);
    const auto b = bounds(0, 3, 10);
    const auto empty_since = fleet.clock.now();

    fleet.clock.advance(4min + 59s);
    auto decision = decide_fleet(b, fleet.situation(0, 0, empty_since));
    EXPECT_TRUE(decision.to_stop.empty());
    EXPECT_EQ(decision.to_start, 0);

    fleet.clock.advance(1s);
    decision = decide_fleet(b, fleet.situation(0, 0, empty_since));
    auto stopped = ids(decision);
    std::sort(stopped.begin(), stopped.end());
    EXPECT_EQ(stopped, (std::vector<std::string>{"a", "b", "c"}));
    for (const auto& order : decision.to_stop) EXPECT_EQ(order.reason, InstanceStopReason::idle);
    EXPECT_EQ(decision.live, 0);
    EXPECT_EQ(decision.to_start, 0);
}

TEST(FleetSizing, AfterTheGraceABusyWorkerStaysUntilItsTaskIsDone) {
    Fleet fleet;
    fleet.add("busy", true, true);
    fleet.add("idle", true, false);
    const auto b = bounds(0, 3, 10);
    const auto empty_since = fleet.clock.now();
    fleet.clock.advance(6min);
    auto decision = decide_fleet(b, fleet.situation(0, 4, empty_since));
    EXPECT_EQ(ids(decision), std::vector<std::string>{"idle"});

    fleet.instances.pop_back();
    fleet.instances[0].busy = false;  // its last task is done
    decision = decide_fleet(b, fleet.situation(0, 0, empty_since));
    EXPECT_EQ(ids(decision), std::vector<std::string>{"busy"});
}

TEST(FleetSizing, AfterTheGraceKeepsTheMinimumAndDropsStartingInstancesFirst) {
    Fleet fleet;
    fleet.add("registered", true);
    fleet.clock.advance(1min);
    fleet.add("starting", false);
    const auto empty_since = fleet.clock.now();
    fleet.clock.advance(5min);
    const auto decision = decide_fleet(bounds(1, 3, 10), fleet.situation(0, 0, empty_since));
    EXPECT_EQ(ids(decision), std::vector<std::string>{"starting"});
    EXPECT_EQ(decision.live, 1);
}

TEST(FleetSizing, NewWorkAfterTheGraceStopsNothing) {
    Fleet fleet;
    fleet.add("a", true);
    fleet.clock.advance(10min);
    // The queue was empty long ago but work came back: the controller has cleared empty_since.
    const auto decision = decide_fleet(bounds(0, 3, 10), fleet.situation(10, 0));
    EXPECT_TRUE(decision.to_stop.empty());
}

TEST(FleetSizing, DropsSurplusStartingInstancesNewestFirstButNoRegisteredOne) {
    Fleet fleet;
    fleet.add("old-registered", true, false);
    fleet.add("old-starting", false);
    fleet.clock.advance(1min);
    fleet.add("new-starting", false);
    // The work shrank to what one worker is for (a job was cancelled).
    auto decision = decide_fleet(bounds(0, 5, 10), fleet.situation(5, 0));
    EXPECT_EQ(decision.wanted, 1);
    EXPECT_EQ(ids(decision), (std::vector<std::string>{"new-starting", "old-starting"}));
    EXPECT_EQ(decision.live, 1);

    // Only one of the two starting instances is surplus when two workers are wanted.
    decision = decide_fleet(bounds(0, 5, 10), fleet.situation(15, 0));
    EXPECT_EQ(ids(decision), std::vector<std::string>{"new-starting"});
    EXPECT_EQ(decision.to_start, 0);
}

TEST(FleetSizing, ChecksBounds) {
    EXPECT_TRUE(check_bounds(bounds(0, 1, 1)).ok());
    EXPECT_FALSE(check_bounds(bounds(-1, 1, 1)).ok());
    EXPECT_FALSE(check_bounds(bounds(0, 0, 1)).ok());
    EXPECT_FALSE(check_bounds(bounds(3, 2, 1)).ok());
    EXPECT_FALSE(check_bounds(bounds(0, 2, 0)).ok());
    EXPECT_EQ(to_string(InstanceStopReason::never_registered), "never registered");
}

}  // namespace
}  // namespace spotfarm::core
