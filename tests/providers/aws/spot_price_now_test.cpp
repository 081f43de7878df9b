// The Spot price to plan with: the latest price per zone, the median over zones; and the same
// asked of the EC2 stand-in over loopback HTTP, signed.
#include "providers/aws/spot_price_now.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/fake_ec2.h"
#include "support/recording_sleeper.h"
#include "util/http_client.h"

namespace spotfarm::providers::aws {
namespace {

using namespace std::chrono_literals;
using Time = std::chrono::system_clock::time_point;

SpotPrice entry(std::string type, std::string zone, double usd, Time at) {
    return {std::move(type), "Linux/UNIX", std::move(zone), usd, at};
}

TEST(SpotPriceNow, LatestPerZoneThenTheMedian) {
    const Time t0 = std::chrono::sys_days{std::chrono::year{2026} / 3 / 2};
    const std::vector<SpotPrice> history{
        entry("c7i.4xlarge", "us-east-1a", 0.90, t0),  // older: replaced by the next
        entry("c7i.4xlarge", "us-east-1a", 0.30, t0 + 1h),
        entry("c7i.4xlarge", "us-east-1b", 0.50, t0 + 30min),
        entry("c7i.4xlarge", "us-east-1c", 0.40, t0 + 2h),
        entry("m7i.large", "us-east-1a", 0.01, t0 + 3h),  // another type
    };
    auto price = current_spot_price(history, "c7i.4xlarge");
    ASSERT_TRUE(price);
    EXPECT_EQ(price->zones, 3u);
    EXPECT_DOUBLE_EQ(price->median_usd_per_hour, 0.40);
    EXPECT_DOUBLE_EQ(price->lowest_usd_per_hour, 0.30);
    EXPECT_DOUBLE_EQ(price->highest_usd_per_hour, 0.50);
    EXPECT_EQ(price->as_of, t0 + 2h);
}

TEST(SpotPriceNow, EvenZonesAverageTheMiddleTwoAndNoneIsNothing) {
    const Time t0{};
    const std::vector<SpotPrice> history{entry("c7i.4xlarge", "a", 0.2, t0),
                                         entry("c7i.4xlarge", "b", 0.4, t0)};
    EXPECT_DOUBLE_EQ(current_spot_price(history, "c7i.4xlarge")->median_usd_per_hour, 0.3);
    EXPECT_FALSE(current_spot_price(history, "c7i.8xlarge"));
    EXPECT_FALSE(current_spot_price({}, "c7i.4xlarge"));
}

struct PriceLoopback {
    PriceLoopback() : credentials(testing::FakeEc2Options{}.credentials) {}
    std::unique_ptr<Ec2Client> client() {
        return Ec2Client::create({http, credentials, clock, sleeper},
                                 {.region = "us-east-1", .endpoint = ec2.endpoint()})
            .value();
    }
    testing::FakeEc2 ec2;
    util::CurlHttpClient http;
    StaticCredentialsProvider credentials;
    util::SteadyClock clock;
    testing::RecordingSleeper sleeper;
};

TEST(SpotPriceNow, AskedOfEc2OverLoopback) {
    PriceLoopback l;
    const Time now = std::chrono::system_clock::now();
    l.ec2.set_spot_price("c7i.4xlarge", "us-east-1a", 0.61, now - 2h);
    l.ec2.set_spot_price("c7i.4xlarge", "us-east-1a", 0.25, now - 1h);
    l.ec2.set_spot_price("c7i.4xlarge", "us-east-1b", 0.35, now - 1h);
    l.ec2.set_spot_price("c7i.4xlarge", "us-east-1c", 0.45, now - 1h);
    auto ec2 = l.client();
    auto price = fetch_current_spot_price(*ec2, "c7i.4xlarge", now);
    ASSERT_TRUE(price) << price.error().message;
    EXPECT_DOUBLE_EQ(price->median_usd_per_hour, 0.35);
    EXPECT_EQ(price->zones, 3u);
    const auto calls = l.ec2.calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].action, "DescribeSpotPriceHistory");

    EXPECT_TRUE(testing::fails_mentioning(fetch_current_spot_price(*ec2, "c7i.8xlarge", now),
                                          "no Linux/UNIX Spot price for c7i.8xlarge"));
}

}  // namespace
}  // namespace spotfarm::providers::aws
