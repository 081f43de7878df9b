#include "util/utf8.h"

#include <gtest/gtest.h>

namespace spotfarm::util {

TEST(Utf8, KeepsWellFormedText) {
    const std::string text = "Fra:1 caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x82\xAC plain";
    EXPECT_TRUE(is_valid_utf8(text));
    EXPECT_EQ(valid_utf8(text), text);
    EXPECT_EQ(valid_utf8(""), "");
}

TEST(Utf8, ReplacesEachInvalidByte) {
    // A Latin-1 "é", a lone continuation byte, a truncated 3-byte character at the end.
    EXPECT_FALSE(is_valid_utf8("caf\xE9"));
    // Each bad byte becomes U+FFFD (EF BF BD).
    EXPECT_EQ(valid_utf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
    EXPECT_EQ(valid_utf8("\x80x"), "\xEF\xBF\xBDx");
    EXPECT_EQ(valid_utf8("a\xE2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, RefusesOverlongFormsSurrogatesAndTooLargeCodePoints) {
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong "/"
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong "/"
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    EXPECT_FALSE(is_valid_utf8("\xFF"));
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
    EXPECT_TRUE(is_valid_utf8(valid_utf8("\xED\xA0\x80\xC0\xAF\xFF")));
}

TEST(Utf8, CutsBetweenCharacters) {
    const std::string text =
        "ab\xF0\x9F\x98\x80"
        "c";  // the emoji is bytes 2 to 5
    EXPECT_EQ(utf8_cut_before(text, 0), 0u);
    EXPECT_EQ(utf8_cut_before(text, 2), 2u);
    EXPECT_EQ(utf8_cut_before(text, 3), 2u);
    EXPECT_EQ(utf8_cut_before(text, 5), 2u);
    EXPECT_EQ(utf8_cut_before(text, 6), 6u);
    EXPECT_EQ(utf8_cut_before(text, 100), text.size());
    EXPECT_EQ(utf8_cut_after(text, 3), 6u);
    EXPECT_EQ(utf8_cut_after(text, 2), 2u);
    EXPECT_EQ(utf8_cut_after(text, 100), text.size());
}

TEST(Utf8, StrayContinuationBytesAreCutAnywhere) {
    const std::string text = "\x80\x80\x80\x80\x80\x80";
    EXPECT_EQ(utf8_cut_before(text, 4), 4u);
    EXPECT_EQ(utf8_cut_after(text, 4), 4u);
}

}  // namespace spotfarm::util
