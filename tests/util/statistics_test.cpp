#include "util/statistics.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

TEST(NormalQuantile, KnownValues) {
    EXPECT_NEAR(normal_quantile(0.5), 0, 1e-12);
    EXPECT_NEAR(normal_quantile(0.95), 1.6448536269514722, 1e-9);
    EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-9);
    EXPECT_NEAR(normal_quantile(0.995), 2.5758293035489004, 1e-9);
    EXPECT_NEAR(normal_quantile(0.01), -2.3263478740408408, 1e-9);
    EXPECT_NEAR(normal_quantile(1e-6), -4.753424308822899, 1e-8);
}

TEST(StudentTQuantile, MatchesTables) {
    // Two-sided 90 % and 95 % critical values from standard tables.
    EXPECT_NEAR(student_t_quantile(0.95, 1), 6.313751514675041, 1e-9);
    EXPECT_NEAR(student_t_quantile(0.995, 3), 5.840909309733350, 1e-9);
    EXPECT_NEAR(student_t_quantile(0.9995, 3), 12.923978636687398, 1e-9);
    EXPECT_NEAR(student_t_quantile(0.05, 3), -2.353363434801823, 1e-9);
    EXPECT_NEAR(student_t_quantile(0.95, 2), 2.920, 1e-3);
    EXPECT_NEAR(student_t_quantile(0.95, 3), 2.353363434801823, 1e-9);
    EXPECT_NEAR(student_t_quantile(0.95, 4), 2.132, 1e-3);
    EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776445105197793, 1e-9);
    EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262, 1e-3);
    EXPECT_NEAR(student_t_quantile(0.95, 19), 1.729, 1e-3);
    EXPECT_NEAR(student_t_quantile(0.995, 10), 3.169, 2e-3);
    EXPECT_NEAR(student_t_quantile(0.975, 1000), 1.962, 1e-3);
    EXPECT_NEAR(student_t_quantile(0.5, 7), 0, 1e-12);
}

}  // namespace
}  // namespace spotfarm::util
