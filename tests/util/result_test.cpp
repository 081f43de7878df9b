#include "util/result.h"

#include <gtest/gtest.h>

namespace spotfarm::util {

Result<int> parse_positive(int v) {
    if (v <= 0) return make_error("must be positive", util::ErrorKind::invalid);
    return v;
}

TEST(Result, CarriesValueOrError) {
    auto good = parse_positive(3);
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(*good, 3);
    auto bad = parse_positive(-1);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "must be positive");
    EXPECT_EQ(bad.error().kind, util::ErrorKind::invalid);
    EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, VoidStatus) {
    Status s;
    EXPECT_TRUE(s.ok());
    Status f = make_error("boom");
    EXPECT_FALSE(f.ok());
    EXPECT_EQ(f.error().message, "boom");
}

}  // namespace spotfarm::util
