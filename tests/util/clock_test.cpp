#include "util/clock.h"

#include <gtest/gtest.h>

namespace spotfarm::util {

TEST(FakeClock, MovesOnlyWhenAdvanced) {
    FakeClock clock;
    auto t0 = clock.now();
    auto w0 = clock.wall_now();
    EXPECT_EQ(clock.now(), t0);
    clock.advance(std::chrono::seconds(5));
    EXPECT_EQ(clock.now() - t0, std::chrono::seconds(5));
    EXPECT_EQ(clock.wall_now() - w0, std::chrono::seconds(5));
}

}  // namespace spotfarm::util
