#include "util/secret.h"

#include <set>

#include <gtest/gtest.h>

namespace spotfarm::util {

TEST(RandomHex, GivesTwoLowerCaseHexDigitsPerByte) {
    auto token = random_hex(32);
    ASSERT_TRUE(token) << token.error().message;
    EXPECT_EQ(token->size(), 64u);
    EXPECT_EQ(token->find_first_not_of("0123456789abcdef"), std::string::npos) << *token;
}

TEST(RandomHex, NeverRepeatsInAThousandDraws) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(random_hex(16).value());
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    std::string with_nul("a\0b", 3);
    EXPECT_FALSE(constant_time_equal(with_nul, std::string("a\0c", 3)));
}

}  // namespace spotfarm::util
