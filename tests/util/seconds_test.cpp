#include "util/seconds.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using namespace std::chrono_literals;

TEST(SecondsBetween, KeepsTheFraction) {
    FakeClock clock;
    const Clock::time_point start = clock.now();
    clock.advance(1500ms);
    EXPECT_DOUBLE_EQ(seconds_between(start, clock.now()), 1.5);
    EXPECT_DOUBLE_EQ(seconds_between(clock.now(), start), -1.5);
    EXPECT_DOUBLE_EQ(seconds_between(start, start), 0.0);
}

TEST(WholeSeconds, DropsTheFraction) {
    EXPECT_EQ(whole_seconds(1999ms), 1);
    EXPECT_EQ(whole_seconds(2s), 2);
    EXPECT_EQ(whole_seconds(999ms), 0);
    EXPECT_EQ(whole_seconds(-1500ms), -1);
    EXPECT_EQ(whole_seconds(3h), 10800);
}

}  // namespace
}  // namespace spotfarm::util
