#pragma once
// The AWS provider: a fleet of EC2 instances tagged spotfarm:fleet=ID, launched through EC2 Fleet
// (a launch template per fleet, instant fleets over every allowed instance type x subnet, Spot
// placed by an allocation strategy, on-demand for what Spot cannot place); listed, stopped and
// priced through the EC2 Query API. RunInstances over the types one after the other remains for
// EC2-compatible clouds without EC2 Fleet.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/aws/ec2_fleet_types.h"
#include "providers/provider.h"
#include "util/clock.h"

namespace spotfarm::providers::aws {

inline constexpr std::string_view k_fleet_tag = "spotfarm:fleet";

// Compute optimized, in order of preference; Blender renders on every core.
extern const std::vector<std::string> k_default_instance_types;

// How instances are launched.
enum class LaunchApi {
    ec2_fleet,      // CreateFleet (instant) over every type x subnet, from a launch template
    run_instances,  // RunInstances, one type after the other, in the first subnet
};

struct AwsFleetOptions {
    std::string fleet_id;  // letters, digits, '-', '_', '.'
    std::string image_id;
    std::vector<std::string> instance_types = k_default_instance_types;
    // Attribute-based selection (EC2 Fleet only): when set, EC2 picks every type that fits, and
    // instance_types are ignored.
    std::optional<InstanceRequirements> requirements;
    bool spot = true;
    bool on_demand_fallback = true;
    int on_demand_base = 0;  // this many of the fleet's live instances on-demand (EC2 Fleet only)
    SpotAllocation spot_allocation = SpotAllocation::price_capacity_optimized;
    LaunchApi launch_api = LaunchApi::ec2_fleet;
    std::string key_name;
    std::vector<std::string> security_group_ids;
    // One per availability zone; empty: the default VPC's. RunInstances uses the first.
    std::vector<std::string> subnet_ids;
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
    std::vector<Tag> instance_tags(const StartRequest& request) const;
    RunInstancesRequest launch_request(const StartRequest& request, const std::string& type,
                                       bool spot, int count) const;
    util::Result<StartResult> run_instances(const StartRequest& request);
    // aws_provider_fleet.cpp: the launch template (made once), instant fleets.
    util::Status ensure_launch_template();
    CreateFleetRequest fleet_request(const StartRequest& request, bool spot, int count,
                                     int on_demand) const;
    util::Result<StartResult> launch_fleet(const StartRequest& request);
    util::Result<std::vector<Ec2Instance>> describe_fleet();
    // When each instance stopped: EC2's transition time, else when this provider first saw it go.
    std::chrono::system_clock::time_point ended_at(const Ec2Instance& instance);

    Ec2Client& m_ec2;
    const util::Clock& m_clock;
    AwsFleetOptions m_options;
    std::mutex m_mutex;
    std::map<std::string, std::chrono::system_clock::time_point> m_seen_ending;
    bool m_template_made = false;  // under m_mutex
};

// "spotfarm-FLEET": the launch template of a fleet, found again by name.
std::string launch_template_name(const std::string& fleet_id);

// WorkerState of an EC2 state: pending -> starting, shutting-down/stopping -> stopping, ...
WorkerState worker_state(InstanceState state);

}  // namespace spotfarm::providers::aws
