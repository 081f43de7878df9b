#include "blender/watchdog.h"

#include <gtest/gtest.h>

namespace spotfarm::blender {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(Watchdog, IdleNeverExpires) {
    util::FakeClock clock;
    Watchdog dog(clock, {30s, 60s});
    EXPECT_FALSE(dog.expired());
    EXPECT_FALSE(dog.time_left());
    clock.advance(24h);
    EXPECT_FALSE(dog.expired());
}

TEST(Watchdog, NoProgressExpires) {
    util::FakeClock clock;
    Watchdog dog(clock, {30s, 0ms});
    dog.frame_started(12);
    EXPECT_EQ(dog.time_left(), milliseconds(30s));
    clock.advance(29s);
    EXPECT_FALSE(dog.expired());
    EXPECT_EQ(dog.time_left(), milliseconds(1s));
    clock.advance(1s);
    EXPECT_EQ(dog.expired().value_or(""),
              "frame 12: no progress for 30 s (limit --stall-timeout 30s)");
    EXPECT_EQ(dog.time_left(), milliseconds(0));
}

TEST(Watchdog, ProgressKeepsItAlive) {
    util::FakeClock clock;
    Watchdog dog(clock, {30s, 0ms});
    dog.frame_started(1);
    for (int i = 0; i < 100; ++i) {
        clock.advance(20s);
        dog.progress();
        ASSERT_FALSE(dog.expired()) << i;
    }
    clock.advance(10s);
    EXPECT_EQ(dog.time_left(), milliseconds(20s));
    clock.advance(25s);
    EXPECT_EQ(dog.expired().value_or(""),
              "frame 1: no progress for 35 s (limit --stall-timeout 30s)");
}

TEST(Watchdog, FrameLimitIgnoresProgress) {
    util::FakeClock clock;
    Watchdog dog(clock, {30s, 60s});
    dog.frame_started(12);
    for (int i = 0; i < 5; ++i) {
        clock.advance(10s);
        dog.progress();
    }
    EXPECT_EQ(dog.time_left(), milliseconds(10s));  // the frame limit is nearer than the stall
    EXPECT_FALSE(dog.expired());
    clock.advance(10s);
    dog.progress();
    EXPECT_EQ(dog.expired().value_or(""), "frame 12 ran over its 60 s limit (--frame-timeout)");
}

TEST(Watchdog, FirstPassedLimitIsReported) {
    util::FakeClock clock;
    Watchdog dog(clock, {30s, 40s});
    dog.frame_started(3);
    clock.advance(50s);  // both passed; the stall came first, at 30 s
    EXPECT_EQ(dog.expired().value_or(""),
              "frame 3: no progress for 50 s (limit --stall-timeout 30s)");
}

TEST(Watchdog, FrameStartedResetsBothTimers) {
    util::FakeClock clock;
    Watchdog dog(clock, {30s, 60s});
    dog.frame_started(1);
    clock.advance(29s);
    dog.progress();
    clock.advance(29s);
    dog.frame_finished();
    EXPECT_FALSE(dog.time_left());
    clock.advance(5min);
    EXPECT_FALSE(dog.expired());
    dog.frame_started(2);
    EXPECT_EQ(dog.time_left(), milliseconds(30s));
    clock.advance(29s);
    dog.progress();
    clock.advance(29s);
    dog.progress();
    EXPECT_FALSE(dog.expired());
    clock.advance(2s);
    EXPECT_EQ(dog.expired().value_or(""), "frame 2 ran over its 60 s limit (--frame-timeout)");
}

TEST(Watchdog, NoLimitsNeverExpire) {
    util::FakeClock clock;
    Watchdog dog(clock, {0ms, 0ms});
    dog.frame_started(1);
    clock.advance(1000h);
    EXPECT_FALSE(dog.expired());
    EXPECT_FALSE(dog.time_left());
}

TEST(Watchdog, DefaultStallIsTenMinutes) {
    util::FakeClock clock;
    Watchdog dog(clock, WatchdogLimits{});
    dog.frame_started(-1);
    clock.advance(10min);
    EXPECT_EQ(dog.expired().value_or(""),
              "loading the scene: no progress for 10 min (limit --stall-timeout 10m)");
}

TEST(Watchdog, TimeLeftRoundsUp) {
    util::FakeClock clock;
    Watchdog dog(clock, {1s, 0ms});
    dog.frame_started(1);
    clock.advance(std::chrono::microseconds(1500));
    EXPECT_EQ(dog.time_left(), milliseconds(999));
}

}  // namespace
}  // namespace spotfarm::blender
