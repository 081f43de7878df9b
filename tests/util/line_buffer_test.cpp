#include "util/line_buffer.h"

#include <gtest/gtest.h>

#include "util/utf8.h"

namespace spotfarm::util {

TEST(LineBuffer, JoinsPiecesAndSplitsLines) {
    LineBuffer buffer;
    std::vector<std::string> lines;
    buffer.feed("Fra:1 Sam", lines);
    EXPECT_TRUE(lines.empty());
    buffer.feed("ple 1/4\nSaved: 'x'\r\n\nTime", lines);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "Fra:1 Sample 1/4");
    EXPECT_EQ(lines[1], "Saved: 'x'");
    EXPECT_EQ(lines[2], "");
    buffer.flush(lines);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[3], "Time");
    buffer.flush(lines);
    EXPECT_EQ(lines.size(), 4u);
}

TEST(LineBuffer, CutsLinesLongerThanTheLimit) {
    LineBuffer buffer(4);
    std::vector<std::string> lines;
    buffer.feed("abcdefghij\nxy", lines);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "abcd");
    EXPECT_EQ(lines[1], "efgh");
    EXPECT_EQ(lines[2], "ij");
    buffer.feed("zw\n", lines);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[3], "xyzw");
}

TEST(LineBuffer, CutsLongLinesBetweenCharacters) {
    // "é" is two bytes and "😀" four: a cut at the byte limit would fall inside each.
    LineBuffer buffer(4);
    std::vector<std::string> lines;
    buffer.feed("abc\xC3\xA9x\xF0\x9F\x98\x80yz", lines);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "abc");
    EXPECT_EQ(lines[1], "\xC3\xA9x");
    EXPECT_EQ(lines[2], "\xF0\x9F\x98\x80");
    buffer.feed("\n", lines);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[3], "yz");
    for (const auto& line : lines) EXPECT_TRUE(is_valid_utf8(line)) << line;
}

TEST(LineBuffer, StrayBytesStillCutAtTheLimit) {
    LineBuffer buffer(2);
    std::vector<std::string> lines;
    buffer.feed("\x80\x80\x80\x80\x80", lines);
    buffer.flush(lines);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "\x80\x80");
    EXPECT_EQ(lines[2], "\x80");
}

}  // namespace spotfarm::util
