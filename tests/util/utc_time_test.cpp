#include "util/utc_time.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using namespace std::chrono;

TEST(UtcTime, ParsesAwsForms) {
    const auto plain = parse_iso8601_utc("2015-08-30T12:36:00Z");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(duration_cast<seconds>(plain->time_since_epoch()).count(), 1440938160);
    const auto millis = parse_iso8601_utc("2018-05-08T16:46:19.250Z");
    ASSERT_TRUE(millis.ok());
    EXPECT_EQ(duration_cast<milliseconds>(millis->time_since_epoch()).count() % 1000, 250);
    EXPECT_TRUE(parse_iso8601_utc("2026-01-31T23:59:59+00:00").ok());
}

TEST(UtcTime, RejectsOtherText) {
    for (const char* bad :
         {"", "2015-08-30", "2015-08-30T12:36:00", "2015-13-01T00:00:00Z", "2015-02-30T00:00:00Z",
          "2015-08-30T12:36:00+02:00", "x015-08-30T12:36:00Z"}) {
        const auto result = parse_iso8601_utc(bad);
        EXPECT_FALSE(result.ok()) << bad;
        if (!result.ok()) {
            EXPECT_NE(result.error().message.find("ISO 8601"), std::string::npos);
        }
    }
}

TEST(UtcTime, FormatsRoundTrip) {
    const auto t = parse_iso8601_utc("2024-02-29T01:02:03Z").value();
    EXPECT_EQ(format_iso8601_utc(t), "2024-02-29T01:02:03Z");
    EXPECT_EQ(format_compact_utc(t), "20240229T010203Z");
    EXPECT_EQ(format_iso8601_utc(t + milliseconds(999)), "2024-02-29T01:02:03Z");
}

}  // namespace
}  // namespace spotfarm::util
