#include "providers/aws/spot_price_now.h"

#include <algorithm>
#include <map>

namespace spotfarm::providers::aws {

std::optional<CurrentSpotPrice> current_spot_price(const std::vector<SpotPrice>& history,
                                                   const std::string& instance_type) {
    std::map<std::string, const SpotPrice*> latest;  // by zone
    for (const SpotPrice& price : history) {
        if (price.instance_type != instance_type) continue;
        const SpotPrice*& slot = latest[price.availability_zone];
        if (slot == nullptr || price.timestamp > slot->timestamp) slot = &price;
    }
    if (latest.empty()) return std::nullopt;
    std::vector<double> prices;
    CurrentSpotPrice out;
    out.instance_type = instance_type;
    out.as_of = latest.begin()->second->timestamp;
    for (const auto& [zone, price] : latest) {
        prices.push_back(price->usd_per_hour);
        out.as_of = std::max(out.as_of, price->timestamp);
    }
    std::sort(prices.begin(), prices.end());
    const std::size_t n = prices.size();
    out.zones = n;
    out.lowest_usd_per_hour = prices.front();
    out.highest_usd_per_hour = prices.back();
    out.median_usd_per_hour = n % 2 == 1 ? prices[n / 2] : (prices[n / 2 - 1] + prices[n / 2]) / 2;
    return out;
}

util::Result<CurrentSpotPrice> fetch_current_spot_price(Ec2Client& ec2,
                                                        const std::string& instance_type,
                                                        std::chrono::system_clock::time_point now) {
    // With StartTime = now EC2 answers the price in effect now in each zone.
    auto history =
        ec2.describe_spot_price_history({.instance_types = {instance_type}, .start_time = now});
    if (!history) return history.error();
    auto price = current_spot_price(*history, instance_type);
    if (!price) {
        return util::make_error("EC2 lists no Linux/UNIX Spot price for " + instance_type +
                                " in this region (is the type offered there?)");
    }
    return *price;
}

util::Result<std::vector<CurrentSpotPrice>> fetch_current_spot_prices(
    Ec2Client& ec2, const std::vector<std::string>& instance_types,
    std::chrono::system_clock::time_point now) {
    auto history =
        ec2.describe_spot_price_history({.instance_types = instance_types, .start_time = now});
    if (!history) return history.error();
    std::vector<CurrentSpotPrice> prices;
    for (const auto& type : instance_types)
        if (auto price = current_spot_price(*history, type)) prices.push_back(*price);
    return prices;
}

}  // namespace spotfarm::providers::aws
