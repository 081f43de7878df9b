#include "manager/prometheus_text.h"

#include <gtest/gtest.h>

namespace spotfarm::manager {
namespace {

TEST(PrometheusText, FamilyHasHelpAndTypeBeforeItsSamples) {
    PrometheusText out;
    out.family("spotfarm_jobs", "gauge", "Jobs, by state.")
        .sample("spotfarm_jobs", 3, {{"state", "queued"}})
        .sample("spotfarm_jobs", 0, {{"state", "active"}});
    EXPECT_EQ(out.text(),
              "# HELP spotfarm_jobs Jobs, by state.\n"
              "# TYPE spotfarm_jobs gauge\n"
              "spotfarm_jobs{state=\"queued\"} 3\n"
              "spotfarm_jobs{state=\"active\"} 0\n");
}

TEST(PrometheusText, LabelValuesAreEscaped) {
    EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
    PrometheusText out;
    out.sample("x", 1, {{"type", "say \"hi\""}, {"zone", "eu\\1"}});
    EXPECT_EQ(out.text(), "x{type=\"say \\\"hi\\\"\",zone=\"eu\\\\1\"} 1\n");
}

TEST(PrometheusText, ValuesAsTheFormatWritesThem) {
    EXPECT_EQ(sample_value(42), "42");
    EXPECT_EQ(sample_value(0.25), "0.25");
    EXPECT_EQ(sample_value(1.0 / 0.0), "+Inf");
    EXPECT_EQ(sample_value(-1.0 / 0.0), "-Inf");
    EXPECT_EQ(sample_value(0.0 / 0.0), "NaN");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeWithInfSumAndCount) {
    Histogram h({0.125, 1, 10});
    for (double v : {0.0625, 0.125, 0.5, 0.75, 3.0, 100.0}) h.observe(v);
    PrometheusText out;
    out.histogram("spotfarm_claim_latency_seconds", "Claim latency.", h);
    EXPECT_EQ(out.text(),
              "# HELP spotfarm_claim_latency_seconds Claim latency.\n"
              "# TYPE spotfarm_claim_latency_seconds histogram\n"
              "spotfarm_claim_latency_seconds_bucket{le=\"0.125\"} 2\n"
              "spotfarm_claim_latency_seconds_bucket{le=\"1\"} 4\n"
              "spotfarm_claim_latency_seconds_bucket{le=\"10\"} 5\n"
              "spotfarm_claim_latency_seconds_bucket{le=\"+Inf\"} 6\n"
              "spotfarm_claim_latency_seconds_sum 104.4375\n"
              "spotfarm_claim_latency_seconds_count 6\n");
}

TEST(PrometheusText, EmptyHistogramStillHasEveryBucket) {
    Histogram h({1, 5});
    PrometheusText out;
    out.histogram("h", "help", h);
    EXPECT_NE(out.text().find("h_bucket{le=\"1\"} 0\n"), std::string::npos);
    EXPECT_NE(out.text().find("h_bucket{le=\"+Inf\"} 0\n"), std::string::npos);
    EXPECT_NE(out.text().find("h_count 0\n"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::manager
