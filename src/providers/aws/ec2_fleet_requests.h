#pragma once
// The form parameters of the EC2 Fleet calls (CreateLaunchTemplate, DeleteLaunchTemplate,
// CreateFleet). Pure functions, like ec2_requests.h: the wire is tested without a network.

#include <string>

#include "providers/aws/ec2_fleet_types.h"
#include "providers/aws/uri.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// EC2's limit on the overrides of one fleet request.
inline constexpr size_t k_max_fleet_overrides = 300;

// Fails for a template EC2 would refuse (no image, a bad name, user data too long, ...).
util::Result<QueryParams> create_launch_template_params(const CreateLaunchTemplateRequest& request);
util::Result<QueryParams> delete_launch_template_params(const std::string& name);
// Fails for a fleet EC2 would refuse (no overrides, bad capacities, too many overrides, ...).
util::Result<QueryParams> create_fleet_params(const CreateFleetRequest& request);

}  // namespace spotfarm::providers::aws
