#include "providers/aws/region.h"

#include <algorithm>

namespace spotfarm::providers::aws {

bool is_valid_region_name(std::string_view name) {
    return !name.empty() && name.size() <= 32 && name.front() != '-' && name.back() != '-' &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

util::Result<std::string> resolve_region(const Environment& env,
                                         const std::optional<std::string>& flag,
                                         const std::optional<std::string>& profile_flag) {
    std::optional<std::string> region;
    std::string origin;
    auto take = [&](std::optional<std::string> value, std::string from) {
        if (!region && value && !value->empty()) {
            region = std::move(value);
            origin = std::move(from);
        }
    };
    take(flag, "--region");
    take(env("AWS_REGION"), "AWS_REGION");
    take(env("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION");
    const std::string profile = profile_name(env, profile_flag);
    const auto config_path = config_file_path(env);
    if (!region) {
        auto config = load_ini_file(config_path);
        if (!config.ok()) return config.error();
        if (*config)
            if (const IniSection* section = config_profile(**config, profile)) {
                auto it = section->find("region");
                if (it != section->end())
                    take(it->second, "profile '" + profile + "' in " + config_path.string());
            }
    }
    if (!region)
        return util::make_error(
            "no AWS region given: pass --region (e.g. --region eu-west-1), "
            "set AWS_REGION, or add `region = eu-west-1` to the [" +
            std::string(profile == "default" ? "default" : "profile " + profile) + "] section of " +
            config_path.string());
    if (!is_valid_region_name(*region))
        return util::make_error("'" + *region + "' (from " + origin +
                                ") is not an AWS region name such as eu-west-1");
    return *region;
}

}  // namespace spotfarm::providers::aws
