#pragma once
// The AWS provider: a fleet of EC2 instances tagged spotfarm:fleet=ID, launched as one-time Spot
// instances over a list of instance types, with on-demand as the fallback when Spot capacity is
// refused; listed, stopped and priced through the EC2 Query API.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/provider.h"
#include "util/clock.h"

namespace spotfarm::providers::aws {

inline constexpr std::string_view k_fleet_tag = "spotfarm:fleet";

// Compute optimized, in order of preference; Blender renders on every core.
extern const std::vector<std::string> k_default_instance_types;

struct AwsFleetOptions {
    std::string fleet_id;  // letters, digits, '-', '_', '.'
    std::string image_id;
    std::vector<std::string> instance_types = k_default_instance_types;
    bool spot = true;
    bool on_demand_fallback = true;
    std::string key_name;
    std::vector<std::string> security_group_ids;
    std::string subnet_id;
    std::string iam_instance_profile;
    std::string user_data;  // from make_user_data()
    // USD per hour by instance type, for the cost of on-demand instances (EC2's API has no price
    // list; Spot prices come from DescribeSpotPriceHistory).
    std::map<std::string, double> on_demand_usd_per_hour;
};

// Thread-safe if the Ec2Client is.
class AwsProvider final : public Provider {
public:
    AwsProvider(Ec2Client& ec2, const util::Clock& clock, AwsFleetOptions options);

    std::string_view name() const override { return "aws"; }
    util::Result<StartResult> start_workers(const StartRequest& request) override;
    util::Result<std::vector<WorkerInstance>> list_workers() override;
    util::Status stop_workers(const std::vector<std::string>& ids) override;
    util::Status stop_all() override;
    util::Result<CostReport> cost_so_far() override;

private:
    util::Status check_options() const;
    RunInstancesRequest launch_request(const StartRequest& request, const std::string& type,
                                       bool spot, int count) const;
    util::Result<std::vector<Ec2Instance>> describe_fleet();
    // When each instance stopped: EC2's transition time, else when this provider first saw it go.
    std::chrono::system_clock::time_point ended_at(const Ec2Instance& instance);

    Ec2Client& m_ec2;
    const util::Clock& m_clock;
    AwsFleetOptions m_options;
    std::mutex m_mutex;
    std::map<std::string, std::chrono::system_clock::time_point> m_seen_ending;
};

// WorkerState of an EC2 state: pending -> starting, shutting-down/stopping -> stopping, ...
WorkerState worker_state(InstanceState state);

}  // namespace spotfarm::providers::aws
