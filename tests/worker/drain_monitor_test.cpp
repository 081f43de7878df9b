#include "worker/drain_monitor.h"

#include <gtest/gtest.h>

#include "worker/fakes.h"

namespace spotfarm::worker {
namespace {

using namespace std::chrono_literals;
using protocol::LeaveReason;
using Kind = InterruptionNotice::Kind;

TEST(DrainMonitor, FirstSignalGivesTheGracePeriodSecondMakesItUrgent) {
    util::FakeClock clock;
    std::atomic<int> signals{0};
    DrainMonitor drain(clock, &signals, nullptr, 20s);
    drain.update();
    EXPECT_FALSE(drain.draining());

    ++signals;
    const auto at = clock.now();
    clock.advance(1s);
    drain.update();
    clock.advance(3s);
    drain.update();  // the deadline is counted from when the signal was seen, once
    EXPECT_TRUE(drain.draining());
    EXPECT_EQ(drain.reason(), LeaveReason::shutdown);
    EXPECT_EQ(drain.deadline(), at + 1s + 20s);
    EXPECT_FALSE(drain.urgent());

    ++signals;
    drain.update();
    EXPECT_TRUE(drain.urgent());
}

TEST(DrainMonitor, AsksTheWatcherOncePerInterval) {
    util::FakeClock clock;
    testing::FakeWatcher watcher;
    DrainMonitor drain(clock, nullptr, &watcher, 20s);
    drain.update();
    drain.update();
    EXPECT_EQ(watcher.polls, 1);
    clock.advance(5s);
    drain.update();
    EXPECT_EQ(watcher.polls, 2);
}

TEST(DrainMonitor, InterruptionDeadlineComesFromTheNoticeTime) {
    util::FakeClock clock;
    testing::FakeWatcher watcher;
    DrainMonitor drain(clock, nullptr, &watcher, 20s);
    watcher.notice = {Kind::interruption, clock.wall_now() + 90s};
    drain.update();
    EXPECT_EQ(drain.reason(), LeaveReason::spot_interruption);
    EXPECT_EQ(drain.deadline(), clock.now() + 90s);
}

TEST(DrainMonitor, RebalanceHasNoDeadlineUntilAnInterruptionFollows) {
    util::FakeClock clock;
    std::atomic<int> signals{0};
    testing::FakeWatcher watcher;
    DrainMonitor drain(clock, &signals, &watcher, 300s);
    watcher.notice = {Kind::rebalance, {}};
    drain.update();
    EXPECT_EQ(drain.reason(), LeaveReason::rebalance);
    EXPECT_FALSE(drain.deadline().has_value());

    ++signals;  // a shutdown with a long grace period
    clock.advance(5s);
    watcher.notice = {Kind::interruption, clock.wall_now() + 120s};
    drain.update();
    EXPECT_EQ(drain.reason(), LeaveReason::spot_interruption);
    EXPECT_EQ(drain.deadline(), clock.now() + 120s);  // the earlier of the two
}

TEST(DrainMonitor, NoticeInThePastMeansNow) {
    util::FakeClock clock;
    testing::FakeWatcher watcher;
    DrainMonitor drain(clock, nullptr, &watcher, 20s);
    watcher.notice = {Kind::interruption, clock.wall_now() - 10s};
    drain.update();
    EXPECT_EQ(drain.deadline(), clock.now());
}

}  // namespace
}  // namespace spotfarm::worker
