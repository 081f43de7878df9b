#pragma once
// The form parameters of each EC2 Query API call, Action and Version included. Pure functions:
// what goes on the wire is tested without a network.

#include <string>
#include <vector>

#include "providers/aws/ec2_types.h"
#include "providers/aws/uri.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

inline constexpr size_t k_max_user_data_bytes = 16 * 1024;  // before base64, EC2's limit

// Fails for a request EC2 would refuse anyway (no image, bad counts, user data too long, ...).
util::Result<QueryParams> run_instances_params(const RunInstancesRequest& request);
util::Result<QueryParams> describe_instances_params(const DescribeInstancesRequest& request,
                                                    const std::string& next_token);
util::Result<QueryParams> terminate_instances_params(const std::vector<std::string>& instance_ids);
util::Result<QueryParams> spot_price_history_params(const SpotPriceRequest& request,
                                                    const std::string& next_token);
util::Result<QueryParams> create_tags_params(const std::vector<std::string>& resource_ids,
                                             const std::vector<Tag>& tags);

}  // namespace spotfarm::providers::aws
