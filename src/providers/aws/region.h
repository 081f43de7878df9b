#pragma once
// Which AWS region to use: a flag, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's
// `region` in ~/.aws/config.

#include <optional>
#include <string>
#include <string_view>

#include "providers/aws/shared_config.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// Letters, digits and dashes, like "eu-west-1"; enough to keep a name safe in a host name.
bool is_valid_region_name(std::string_view name);

util::Result<std::string> resolve_region(const Environment& env,
                                         const std::optional<std::string>& flag,
                                         const std::optional<std::string>& profile_flag = {});

}  // namespace spotfarm::providers::aws
