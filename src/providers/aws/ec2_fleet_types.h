#pragma once
// Values of the EC2 Fleet calls: CreateLaunchTemplate, DeleteLaunchTemplate and CreateFleet of
// type instant, which places one request over many capacity pools (instance type x zone).

#include <optional>
#include <string>
#include <vector>

#include "providers/aws/ec2_types.h"

namespace spotfarm::providers::aws {

// How EC2 Fleet picks Spot pools; price-capacity-optimized is what AWS recommends.
enum class SpotAllocation { price_capacity_optimized, capacity_optimized, lowest_price };
std::string_view to_string(SpotAllocation allocation);  // EC2's names
std::optional<SpotAllocation> spot_allocation_from(std::string_view name);

// What launches every instance of a fleet; the instance type and subnet come from the fleet's
// overrides.
struct CreateLaunchTemplateRequest {
    std::string name;  // 3-128 of [A-Za-z0-9()./_-]
    std::string client_token;
    std::string image_id;
    std::string key_name;  // optional
    std::vector<std::string> security_group_ids;
    std::string user_data;                  // plain text, sent base64-encoded
    std::string iam_instance_profile_name;  // optional
    // The instances' tags come with each CreateFleet, so that every launch can add its own.
    std::vector<Tag> volume_tags;
    std::vector<Tag> template_tags;  // on the template itself
};

struct LaunchTemplateInfo {
    std::string id;  // "lt-..."; empty when the template already existed
    std::string name;
    bool already_existed = false;
};

// A range for attribute-based selection; 0 leaves an end open.
struct IntRange {
    int min = 0;
    int max = 0;
};

// InstanceRequirements: EC2 chooses every current type that fits, instead of a list of names.
struct InstanceRequirements {
    IntRange vcpus;
    double memory_gib_per_vcpu_min = 0;          // 0: any
    int memory_mib_min = 0;                      // EC2 requires MemoryMiB; 0 is "any"
    int gpus_min = 0;                            // > 0: GPU instances (AcceleratorTypes gpu)
    std::vector<std::string> gpu_manufacturers;  // "nvidia", "amd"; empty: any
    bool allow_burstable = false;
};

// One pool description of a fleet: a named type, or requirements, optionally in one subnet.
struct FleetOverride {
    std::string instance_type;  // or requirements
    std::optional<InstanceRequirements> requirements;
    std::string subnet_id;  // empty: the default VPC's
};

struct CreateFleetRequest {
    std::string client_token;
    std::string launch_template_name;
    std::string launch_template_version = "$Latest";
    std::vector<FleetOverride> overrides;
    int total_capacity = 1;
    int on_demand_capacity = 0;  // of the total; the rest is Spot when spot is true
    bool spot = true;            // the default capacity type: Spot, or on-demand
    SpotAllocation spot_allocation = SpotAllocation::price_capacity_optimized;
    std::vector<Tag> instance_tags;  // this request's tags on its instances
};

// The pool an instance landed in, or an error came from.
struct FleetPool {
    std::string instance_type;
    std::string subnet_id;
    std::string availability_zone;
};

struct FleetLaunched {
    std::vector<std::string> instance_ids;
    std::string instance_type;
    std::string lifecycle;  // "spot" or "on-demand"
    FleetPool pool;
};

struct FleetError {
    std::string code;  // "InsufficientInstanceCapacity", ...
    std::string message;
    std::string lifecycle;
    FleetPool pool;
};

// An instant fleet answers with what it launched and an error for each pool it could not use:
// both may be present.
struct CreateFleetResponse {
    std::string fleet_id;
    std::vector<FleetLaunched> launched;
    std::vector<FleetError> errors;
};

}  // namespace spotfarm::providers::aws
