#include "util/duration_text.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using namespace std::chrono_literals;

TEST(FormatSeconds, Forms) {
    EXPECT_EQ(format_seconds(0.254), "0.25 s");
    EXPECT_EQ(format_seconds(65), "1 min 05 s");
    EXPECT_EQ(format_seconds(3725), "1 h 02 min");
}

TEST(DescribeDuration, Forms) {
    EXPECT_EQ(describe_duration(500ms), "500 ms");
    EXPECT_EQ(describe_duration(45s), "45 s");
    EXPECT_EQ(describe_duration(119s), "119 s");
    EXPECT_EQ(describe_duration(150s), "2 min 30 s");
    EXPECT_EQ(describe_duration(10min + 5s), "10 min");
    EXPECT_EQ(describe_duration(90min), "90 min");
    EXPECT_EQ(describe_duration(2h), "2 h");
    EXPECT_EQ(describe_duration(150min), "2 h 30 min");
}

TEST(OptionDuration, Forms) {
    EXPECT_EQ(option_duration(30s), "30s");
    EXPECT_EQ(option_duration(90s), "90s");
    EXPECT_EQ(option_duration(10min), "10m");
    EXPECT_EQ(option_duration(2h), "2h");
    EXPECT_EQ(option_duration(1500ms), "1500ms");
    EXPECT_EQ(option_duration(0ms), "0s");
}

}  // namespace
}  // namespace spotfarm::util
