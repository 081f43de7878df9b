#pragma once
// The Spot price of an instance type now, from DescribeSpotPriceHistory: the latest price in each
// availability zone, and the median over the zones as the price to plan with (the lowest zone is
// too hopeful: a fleet does not all land in the cheapest zone, and that zone may lack capacity).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/aws/ec2_types.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

struct CurrentSpotPrice {
    std::string instance_type;
    double median_usd_per_hour = 0;  // over the zones' latest prices; the one to plan with
    double lowest_usd_per_hour = 0;
    double highest_usd_per_hour = 0;
    std::size_t zones = 0;
    std::chrono::system_clock::time_point as_of;  // the newest of the zones' latest prices
};

// From the history of any types and zones: the latest entry per zone for `instance_type`.
// nullopt when the history holds no price for it.
std::optional<CurrentSpotPrice> current_spot_price(const std::vector<SpotPrice>& history,
                                                   const std::string& instance_type);

// Asks EC2 for the Linux/UNIX Spot prices of `instance_type` in effect at `now`. An error when
// the call fails or EC2 knows no Spot price for the type in the client's region.
util::Result<CurrentSpotPrice> fetch_current_spot_price(Ec2Client& ec2,
                                                        const std::string& instance_type,
                                                        std::chrono::system_clock::time_point now);

// The same for several types in one call: one entry per type EC2 has a price for, in the order
// of `instance_types`.
util::Result<std::vector<CurrentSpotPrice>> fetch_current_spot_prices(
    Ec2Client& ec2, const std::vector<std::string>& instance_types,
    std::chrono::system_clock::time_point now);

}  // namespace spotfarm::providers::aws
