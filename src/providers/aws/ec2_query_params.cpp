#include "providers/aws/ec2_query_params.h"

namespace spotfarm::providers::aws {

QueryParams ec2_action(std::string_view name) {
    return {{"Action", std::string(name)}, {"Version", std::string(k_ec2_api_version)}};
}

void add_list(QueryParams& params, const std::string& prefix,
              const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i)
        params.emplace_back(prefix + "." + std::to_string(i + 1), values[i]);
}

void add_tags(QueryParams& params, const std::string& prefix, const std::vector<Tag>& tags) {
    for (size_t i = 0; i < tags.size(); ++i) {
        const std::string item = prefix + "." + std::to_string(i + 1);
        params.emplace_back(item + ".Key", tags[i].key);
        params.emplace_back(item + ".Value", tags[i].value);
    }
}

void add_tag_specification(QueryParams& params, const std::string& prefix,
                           std::string_view resource_type, const std::vector<Tag>& tags) {
    if (tags.empty()) return;
    params.emplace_back(prefix + ".ResourceType", std::string(resource_type));
    add_tags(params, prefix + ".Tag", tags);
}

util::Status check_tags(const std::vector<Tag>& tags) {
    for (const auto& tag : tags) {
        if (tag.key.empty() || tag.key.size() > 128 || tag.value.size() > 256)
            return util::make_error(
                "EC2 tags need a key of 1 to 128 characters and a value of at "
                "most 256; '" +
                tag.key + "' does not fit");
        if (tag.key.starts_with("aws:"))
            return util::make_error("EC2 tag keys may not start with 'aws:' ('" + tag.key + "')");
    }
    if (tags.size() > 50) return util::make_error("EC2 allows at most 50 tags per resource");
    return {};
}

util::Status check_ids(const std::vector<std::string>& ids, std::string_view what) {
    for (const auto& id : ids)
        if (id.empty()) return util::make_error("an empty " + std::string(what) + " id was given");
    return {};
}

}  // namespace spotfarm::providers::aws
