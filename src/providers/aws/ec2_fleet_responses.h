#pragma once
// Reading EC2's answers to the EC2 Fleet calls; each parser fails with a clear message when the
// XML is not the expected answer.

#include <string_view>

#include "providers/aws/ec2_fleet_types.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

util::Result<LaunchTemplateInfo> parse_create_launch_template(std::string_view xml);
util::Status parse_delete_launch_template(std::string_view xml);
// Launched instances and per-pool errors, as an instant fleet reports them.
util::Result<CreateFleetResponse> parse_create_fleet(std::string_view xml);

}  // namespace spotfarm::providers::aws
