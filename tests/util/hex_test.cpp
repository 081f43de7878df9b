#include "util/hex.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

TEST(HexEncode, TwoLowerCaseDigitsPerByte) {
    EXPECT_EQ(hex_encode(""), "");
    EXPECT_EQ(hex_encode(std::string("\x00\x0f\x10\xab\xff", 5)), "000f10abff");
}

TEST(HexValue, ReadsDigitsInEitherCase) {
    EXPECT_EQ(hex_value('0'), 0);
    EXPECT_EQ(hex_value('9'), 9);
    EXPECT_EQ(hex_value('a'), 10);
    EXPECT_EQ(hex_value('F'), 15);
    for (char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0'}) EXPECT_EQ(hex_value(c), -1) << c;
}

TEST(HexValue, ReadsBackWhatHexEncodeWrites) {
    std::string all;
    for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
    const std::string hex = hex_encode(all);
    for (int b = 0; b < 256; ++b) {
        EXPECT_EQ(hex_value(hex[2 * b]) * 16 + hex_value(hex[2 * b + 1]), b);
    }
}

}  // namespace
}  // namespace spotfarm::util
