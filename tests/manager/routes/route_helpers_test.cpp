#include "manager/routes/route_helpers.h"

#include <gtest/gtest.h>

namespace spotfarm::manager::routes {
namespace {

TEST(LeaseSeconds, RoundsToTheNearestWholeSecond) {
    EXPECT_EQ(lease_seconds(60.0), 60);
    EXPECT_EQ(lease_seconds(59.9996), 60);  // a lease read back a moment after it was set
    EXPECT_EQ(lease_seconds(59.4), 59);
    EXPECT_EQ(lease_seconds(2.5), 3);
}

TEST(LeaseSeconds, IsNeverBelowOne) {
    EXPECT_EQ(lease_seconds(1.0), 1);
    EXPECT_EQ(lease_seconds(0.4), 1);
    EXPECT_EQ(lease_seconds(0.0), 1);
    EXPECT_EQ(lease_seconds(-3.0), 1);
}

TEST(LeaseSeconds, StaysInRangeForHugeLeases) {
    EXPECT_GT(lease_seconds(1e30), 0);
}

}  // namespace
}  // namespace spotfarm::manager::routes
