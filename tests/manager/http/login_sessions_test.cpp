// The dashboard's logins: random values, kept alive by use, ended by logout or idleness.
#include "manager/http/login_sessions.h"

#include <gtest/gtest.h>

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;

TEST(LoginSessionsTest, ASessionLivesWhileUsedAndEndsWithLogout) {
    util::FakeClock clock;
    LoginSessions sessions(clock, 1h);
    auto a = sessions.create();
    auto b = sessions.create();
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->size(), 64u);
    EXPECT_NE(*a, *b);
    EXPECT_TRUE(sessions.touch(*a));
    EXPECT_FALSE(sessions.touch("not-a-session"));
    clock.advance(50min);
    EXPECT_TRUE(sessions.touch(*a));  // used: another hour
    clock.advance(50min);
    EXPECT_TRUE(sessions.touch(*a));
    EXPECT_FALSE(sessions.touch(*b));  // idle for 100 minutes
    sessions.end(*a);
    EXPECT_FALSE(sessions.touch(*a));
    EXPECT_EQ(sessions.size(), 0u);
}

TEST(LoginSessionsTest, TheOldestGoesWhenThereAreTooMany) {
    util::FakeClock clock;
    LoginSessions sessions(clock, 1h, 2);
    auto a = sessions.create();
    clock.advance(1s);
    auto b = sessions.create();
    clock.advance(1s);
    auto c = sessions.create();
    EXPECT_FALSE(sessions.touch(*a));
    EXPECT_TRUE(sessions.touch(*b));
    EXPECT_TRUE(sessions.touch(*c));
}

}  // namespace
}  // namespace spotfarm::manager::http
