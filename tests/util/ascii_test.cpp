#include "util/ascii.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

TEST(Trim, RemovesWhiteSpaceAtBothEndsOnly) {
    EXPECT_EQ(trim("  a b \t"), "a b");
    EXPECT_EQ(trim("\r\n\v\fkey = value\r\n"), "key = value");
    EXPECT_EQ(trim("word"), "word");
    EXPECT_EQ(trim(" \t\r\n"), "");
    EXPECT_EQ(trim(""), "");
}

TEST(Trim, KeepsOtherBytes) {
    EXPECT_EQ(trim("\xc2\xa0x\xc2\xa0"), "\xc2\xa0x\xc2\xa0");  // UTF-8 no-break space
    EXPECT_EQ(trim(std::string_view("\0a\0", 3)), std::string_view("\0a\0", 3));
}

TEST(Iequals, IgnoresAsciiCaseOnly) {
    EXPECT_TRUE(iequals("Content-Type", "content-TYPE"));
    EXPECT_TRUE(iequals("", ""));
    EXPECT_FALSE(iequals("abc", "abd"));
    EXPECT_FALSE(iequals("abc", "abcd"));
    EXPECT_FALSE(iequals("[", "{"));  // 0x5b and 0x7b differ by the case bit, yet are not letters
    EXPECT_FALSE(iequals("\xc3\xa9", "\xc3\x89"));  // é and É: not ASCII
}

TEST(ChangeCase, LettersOnly) {
    EXPECT_EQ(to_lower("OptiX-12_Z"), "optix-12_z");
    EXPECT_EQ(to_upper("OptiX-12_z"), "OPTIX-12_Z");
    EXPECT_EQ(to_upper("[@]\xc3\xa9"), "[@]\xc3\xa9");
    EXPECT_EQ(to_lower(""), "");
}

}  // namespace
}  // namespace spotfarm::util
