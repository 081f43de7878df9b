#pragma once
// Building blocks of EC2 Query API parameters, shared by the request builders: the Action and
// Version pair, numbered lists ("Prefix.1", "Prefix.2"), tags, and the checks EC2 makes on them.

#include <string>
#include <string_view>
#include <vector>

#include "providers/aws/ec2_types.h"
#include "providers/aws/uri.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// {"Action", name}, {"Version", "2016-11-15"}.
QueryParams ec2_action(std::string_view name);
// prefix.1=values[0], prefix.2=values[1], ...
void add_list(QueryParams& params, const std::string& prefix,
              const std::vector<std::string>& values);
// prefix.N.Key and prefix.N.Value for each tag.
void add_tags(QueryParams& params, const std::string& prefix, const std::vector<Tag>& tags);
// A TagSpecification (prefix.ResourceType, prefix.Tag.N.Key/Value) when there are tags.
void add_tag_specification(QueryParams& params, const std::string& prefix,
                           std::string_view resource_type, const std::vector<Tag>& tags);
// EC2's rules on tags: keys of 1-128 characters not starting with "aws:", values up to 256.
util::Status check_tags(const std::vector<Tag>& tags);
// No id may be empty.
util::Status check_ids(const std::vector<std::string>& ids, std::string_view what);

}  // namespace spotfarm::providers::aws
