#include "cli/daemons/manager_idle_exit.h"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

namespace spotfarm::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(IdleExit, EndsOnlyAfterAWholeQuietSpell) {
    IdleExit exit(1h);
    const Clock::time_point t0{};
    EXPECT_FALSE(exit.observe(2, t0));
    EXPECT_FALSE(exit.observe(0, t0 + 10min));
    EXPECT_FALSE(exit.observe(0, t0 + 69min));
    // A job came and went: the quiet spell begins again.
    EXPECT_FALSE(exit.observe(1, t0 + 69min + 30s));
    EXPECT_FALSE(exit.observe(0, t0 + 80min));
    EXPECT_FALSE(exit.observe(0, t0 + 139min));
    EXPECT_TRUE(exit.observe(0, t0 + 140min));
}

TEST(IdleExit, APausedOrQueuedJobKeepsTheManager) {
    IdleExit exit(10min);
    const Clock::time_point t0{};
    for (int minute = 0; minute < 120; minute += 5) {
        EXPECT_FALSE(exit.observe(1, t0 + std::chrono::minutes(minute)));
    }
}

TEST(IdleExitWatch, CallsOnIdleOnceWhenNothingIsBusy) {
    std::atomic<int> asked{0};
    std::promise<void> idle;
    auto done = idle.get_future();
    std::atomic<int> calls{0};
    {
        IdleExitWatch watch(
            0s, 1ms,
            [&] {
                ++asked;
                return asked < 3 ? 1 : 0;  // busy twice, then quiet
            },
            [&] {
                if (++calls == 1) idle.set_value();
            });
        ASSERT_EQ(done.wait_for(10s), std::future_status::ready);
    }
    EXPECT_EQ(calls, 1);
    EXPECT_GE(asked, 3);
}

TEST(IdleExitWatch, StopsWithoutCallingWhileBusy) {
    std::atomic<int> calls{0};
    std::promise<void> asked_once;
    auto asked = asked_once.get_future();
    std::atomic<bool> first{true};
    {
        IdleExitWatch watch(
            0s, 1h,
            [&] {
                if (first.exchange(false)) asked_once.set_value();
                return 1;
            },
            [&] { ++calls; });
        ASSERT_EQ(asked.wait_for(10s), std::future_status::ready);
    }  // the destructor wakes the one-hour wait and joins
    EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace spotfarm::cli
