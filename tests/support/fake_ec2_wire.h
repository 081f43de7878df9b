#pragma once
// What the parts of the EC2 stand-in share: EC2's XML answers and reading form parameters.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "providers/aws/ec2_types.h"

namespace spotfarm::testing::fake_ec2_wire {

using Params = std::map<std::string, std::string>;

std::string xml_text(const pugi::xml_document& doc);
// <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
std::string error_xml(const std::string& code, const std::string& message);
// The answer's root element in EC2's namespace, with a requestId.
pugi::xml_node start(pugi::xml_document& doc, const char* root);
std::optional<std::string> base64_decode(const std::string& text);
// Values of "Prefix.1", "Prefix.2", ... (each followed by `suffix`) in order.
std::vector<std::string> numbered(const Params& params, const std::string& prefix,
                                  const std::string& suffix = "");
// A positive number of at most 5 digits.
bool is_count(const std::string& text);
// The value of `key`, or "".
std::string get(const Params& params, const std::string& key);
// Tags of "Prefix.Tag.N.Key/Value" for each "Prefix.ResourceType" equal to `resource_type`,
// with Prefix = `spec_prefix`.1, .2, ...; nullopt when a key has no value.
std::optional<std::vector<providers::aws::Tag>> tags_for(const Params& params,
                                                         const std::string& spec_prefix,
                                                         const std::string& resource_type);

}  // namespace spotfarm::testing::fake_ec2_wire
