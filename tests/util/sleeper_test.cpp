#include "util/sleeper.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using namespace std::chrono_literals;

TEST(ThreadSleeper, SleepsAtLeastTheTimeAsked) {
    ThreadSleeper sleeper;
    const auto start = std::chrono::steady_clock::now();
    sleeper.sleep_for(30ms);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST(ThreadSleeper, ReturnsAtOnceForNothing) {
    ThreadSleeper sleeper;
    const auto start = std::chrono::steady_clock::now();
    sleeper.sleep_for(Clock::duration::zero());
    sleeper.sleep_for(-5s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace spotfarm::util
