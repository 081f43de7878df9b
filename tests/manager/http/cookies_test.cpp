// The dashboard's cookie and the check that a state-changing request comes from its own origin.
#include "manager/http/cookies.h"

#include <gtest/gtest.h>

namespace spotfarm::manager::http {
namespace {

TEST(CookiesTest, FindsTheSessionAmongOtherCookies) {
    EXPECT_EQ(cookie_value("a=1; spotfarm_session=abc; b=2", "spotfarm_session"), "abc");
    EXPECT_EQ(cookie_value("spotfarm_session=abc", "spotfarm_session"), "abc");
    EXPECT_EQ(cookie_value("xspotfarm_session=abc", "spotfarm_session"), std::nullopt);
    EXPECT_EQ(cookie_value("", "spotfarm_session"), std::nullopt);
}

TEST(CookiesTest, TheSessionCookieIsHttpOnlyAndStrict) {
    const std::string cookie = session_cookie("abc");
    EXPECT_EQ(cookie, "spotfarm_session=abc; Path=/; HttpOnly; SameSite=Strict");
    EXPECT_NE(expired_session_cookie().find("Max-Age=0"), std::string::npos);
}

TEST(CookiesTest, OnlyTheManagersOwnOriginMayChangeState) {
    EXPECT_FALSE(cross_site_refusal({"http://farm:8420", "farm:8420", std::nullopt}));
    EXPECT_FALSE(cross_site_refusal({std::nullopt, "farm:8420", "same-origin"}));
    EXPECT_FALSE(cross_site_refusal({"http://farm:8420", "farm:8420", "same-origin"}));
    // Another site, a sibling port, an opaque origin, a browser that says cross-site or none.
    EXPECT_TRUE(cross_site_refusal({"http://evil.example", "farm:8420", std::nullopt}));
    EXPECT_TRUE(cross_site_refusal({"http://farm:8421", "farm:8420", std::nullopt}));
    EXPECT_TRUE(cross_site_refusal({"null", "farm:8420", std::nullopt}));
    EXPECT_TRUE(cross_site_refusal({"http://farm:8420", "farm:8420", "cross-site"}));
    EXPECT_TRUE(cross_site_refusal({std::nullopt, "farm:8420", "same-site"}));
    auto none = cross_site_refusal({std::nullopt, "farm:8420", std::nullopt});
    ASSERT_TRUE(none);
    EXPECT_NE(none->find("no Origin"), std::string::npos) << *none;
}

}  // namespace
}  // namespace spotfarm::manager::http
