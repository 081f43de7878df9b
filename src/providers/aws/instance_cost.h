#pragma once
// What each EC2 instance has cost so far: its hours from launch to its end (or now), at the
// current Spot price of its type and zone (DescribeSpotPriceHistory) for a Spot instance, or at a
// given on-demand price (EC2's API has no on-demand price list).

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/provider.h"

namespace spotfarm::providers::aws {

using WallTime = std::chrono::system_clock::time_point;

// shutting-down, terminated, stopping, stopped: the instance has stopped billing for compute.
bool has_stopped(InstanceState state);

// When EC2 says the instance stopped: the time in a state transition reason such as
// "User initiated (2026-03-02 10:40:12 GMT)".
std::optional<WallTime> stopped_at(const Ec2Instance& instance);

struct InstanceCost {
    std::string instance_id;
    double hours = 0;
    std::optional<double> usd_per_hour;
    std::optional<double> usd() const {
        return usd_per_hour ? std::optional<double>(hours * *usd_per_hour) : std::nullopt;
    }
};

// When a stopped instance stopped billing; the caller's best knowledge.
using EndTime = std::function<WallTime(const Ec2Instance&)>;

// One entry per instance with a launch time, in the order given. Asks EC2 for the Spot prices of
// the Spot instances' types.
util::Result<std::vector<InstanceCost>> instance_costs(
    Ec2Client& ec2, const std::vector<Ec2Instance>& instances, WallTime now,
    const std::map<std::string, double>& on_demand_usd_per_hour, const EndTime& ended_at);

// The sum, with a note for each instance that could not be priced.
CostReport total_cost(const std::vector<Ec2Instance>& instances,
                      const std::vector<InstanceCost>& costs);

}  // namespace spotfarm::providers::aws
