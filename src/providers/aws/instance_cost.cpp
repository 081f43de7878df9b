#include "providers/aws/instance_cost.h"

#include <algorithm>
#include <cstdio>

#include "util/utc_time.h"

namespace spotfarm::providers::aws {

bool has_stopped(InstanceState state) {
    return state == InstanceState::shutting_down || state == InstanceState::terminated ||
           state == InstanceState::stopping || state == InstanceState::stopped;
}

std::optional<WallTime> stopped_at(const Ec2Instance& instance) {
    const std::string& reason = instance.transition_reason;
    const size_t open = reason.rfind('(');
    if (open == std::string::npos || reason.size() < open + 25) return std::nullopt;
    std::string iso = reason.substr(open + 1, 19);
    if (reason.compare(open + 20, 5, " GMT)") != 0) return std::nullopt;
    iso[10] = 'T';
    auto time = util::parse_iso8601_utc(iso + "Z");
    if (!time.ok()) return std::nullopt;
    return time.value();
}

util::Result<std::vector<InstanceCost>> instance_costs(
    Ec2Client& ec2, const std::vector<Ec2Instance>& instances, WallTime now,
    const std::map<std::string, double>& on_demand_usd_per_hour, const EndTime& ended_at) {
    // The current Spot price by type and zone, and by type alone as a fallback.
    std::map<std::string, double> spot_price;
    std::vector<std::string> spot_types;
    for (const auto& instance : instances)
        if (instance.is_spot() && std::find(spot_types.begin(), spot_types.end(),
                                            instance.instance_type) == spot_types.end())
            spot_types.push_back(instance.instance_type);
    if (!spot_types.empty()) {
        auto prices =
            ec2.describe_spot_price_history({.instance_types = spot_types, .start_time = now});
        if (!prices.ok()) return prices.error();
        for (const auto& price : *prices) {
            spot_price.try_emplace(price.instance_type + "@" + price.availability_zone,
                                   price.usd_per_hour);
            spot_price.try_emplace(price.instance_type, price.usd_per_hour);
        }
    }

    std::vector<InstanceCost> costs;
    for (const auto& instance : instances) {
        if (!instance.launch_time) continue;
        InstanceCost cost;
        cost.instance_id = instance.instance_id;
        const WallTime end = has_stopped(instance.state) ? ended_at(instance) : now;
        cost.hours = std::max(
            0.0, std::chrono::duration<double>(end - *instance.launch_time).count() / 3600);
        if (instance.is_spot()) {
            auto it = spot_price.find(instance.instance_type + "@" + instance.availability_zone);
            if (it == spot_price.end()) it = spot_price.find(instance.instance_type);
            if (it != spot_price.end()) cost.usd_per_hour = it->second;
        } else if (auto it = on_demand_usd_per_hour.find(instance.instance_type);
                   it != on_demand_usd_per_hour.end()) {
            cost.usd_per_hour = it->second;
        }
        costs.push_back(std::move(cost));
    }
    return costs;
}

CostReport total_cost(const std::vector<Ec2Instance>& instances,
                      const std::vector<InstanceCost>& costs) {
    CostReport report;
    std::map<std::string, double> unpriced;  // hours by "Spot c7i.4xlarge", "on-demand ..."
    for (const auto& cost : costs) {
        report.instance_hours += cost.hours;
        if (auto usd = cost.usd()) {
            report.usd += *usd;
            continue;
        }
        auto it = std::find_if(instances.begin(), instances.end(), [&](const Ec2Instance& i) {
            return i.instance_id == cost.instance_id;
        });
        const bool spot = it != instances.end() && it->is_spot();
        const std::string type = it != instances.end() ? it->instance_type : "?";
        unpriced[std::string(spot ? "Spot" : "on-demand") + " price for " + type] += cost.hours;
    }
    for (const auto& [what, hours] : unpriced) {
        char text[160];
        std::snprintf(text, sizeof text, "no %s: %.2f instance-hours not priced", what.c_str(),
                      hours);
        report.notes.push_back(text);
    }
    return report;
}

}  // namespace spotfarm::providers::aws
