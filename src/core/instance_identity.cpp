#include "core/instance_identity.h"

namespace spotfarm::core {

std::string instance_tag(std::string_view instance_id) {
    return std::string(k_instance_tag_prefix) + std::string(instance_id);
}

std::optional<std::string> instance_from_tags(const std::vector<std::string>& tags) {
    for (const auto& tag : tags)
        if (tag.starts_with(k_instance_tag_prefix) && tag.size() > k_instance_tag_prefix.size())
            return tag.substr(k_instance_tag_prefix.size());
    return std::nullopt;
}

}  // namespace spotfarm::core
