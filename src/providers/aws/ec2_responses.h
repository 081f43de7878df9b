#pragma once
// Reading EC2's success answers (XML in namespace http://ec2.amazonaws.com/doc/2016-11-15/).
// Each parser fails with a clear message when the XML is not the expected answer.

#include <string_view>
#include <vector>

#include "providers/aws/ec2_types.h"
#include "util/result.h"

namespace pugi {
class xml_document;
}

namespace spotfarm::providers::aws {

// Loads `xml` into `doc` and checks that its root element is `root` (e.g.
// "RunInstancesResponse"); every parser of an EC2 answer starts here.
util::Status load_answer(pugi::xml_document& doc, std::string_view xml, const char* root);

util::Result<RunInstancesResponse> parse_run_instances(std::string_view xml);
util::Result<DescribeInstancesPage> parse_describe_instances(std::string_view xml);
util::Result<std::vector<InstanceStateChange>> parse_terminate_instances(std::string_view xml);
util::Result<SpotPricePage> parse_spot_price_history(std::string_view xml);
util::Status parse_create_tags(std::string_view xml);

}  // namespace spotfarm::providers::aws
