#include "util/line_buffer.h"

#include <gtest/gtest.h>

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

}  // namespace spotfarm::util
