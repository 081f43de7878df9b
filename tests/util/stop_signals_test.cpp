#include "util/stop_signals.h"

#include <csignal>

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

TEST(StopSignals, CountsEverySignalAndKeepsTheFirst) {
    StopSignals stop;
    EXPECT_FALSE(stop.raised());
    EXPECT_EQ(stop.count().load(), 0);
    std::raise(SIGTERM);
    std::raise(SIGINT);
    EXPECT_TRUE(stop.raised());
    EXPECT_EQ(stop.signal(), SIGTERM);
    EXPECT_EQ(stop.exit_code(), 128 + SIGTERM);
    EXPECT_EQ(stop.count().load(), 2);
}

TEST(StopSignals, StartsAgainFromNothing) {
    {
        StopSignals first;
        std::raise(SIGINT);
    }
    StopSignals second;
    EXPECT_FALSE(second.raised());
    EXPECT_EQ(second.count().load(), 0);
}

}  // namespace
}  // namespace spotfarm::util
