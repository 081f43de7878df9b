#include "util/backoff.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, CeilingDoublesUpToTheCapAndJitterFillsIt) {
    Backoff backoff(1s, 60s, 1);
    Clock::duration ceiling = 1s;
    Clock::duration longest_late{};
    for (int i = 0; i < 40; ++i) {
        Clock::duration wait = backoff.next();
        EXPECT_GE(wait, Clock::duration::zero());
        EXPECT_LE(wait, ceiling) << "try " << i;
        if (i >= 10) longest_late = std::max(longest_late, wait);
        ceiling = std::min<Clock::duration>(ceiling * 2, 60s);
    }
    EXPECT_GT(longest_late, 30s);  // full jitter over [0, 60 s] reaches high in 30 draws
    EXPECT_EQ(backoff.failures(), 40);
}

TEST(Backoff, ResetStartsSmallAgain) {
    Backoff backoff(1s, 60s, 2);
    for (int i = 0; i < 10; ++i) (void)backoff.next();
    backoff.reset();
    EXPECT_LE(backoff.next(), 1s);
}

TEST(Backoff, SameSeedSameWaits) {
    Backoff a(1s, 60s, 5), b(1s, 60s, 5), c(1s, 60s, 6);
    bool differs = false;
    for (int i = 0; i < 8; ++i) {
        auto wa = a.next();
        EXPECT_EQ(wa, b.next());
        differs = differs || wa != c.next();
    }
    EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace spotfarm::util
