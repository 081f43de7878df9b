#include "providers/aws/shared_config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace spotfarm::providers::aws {
namespace {

std::filesystem::path aws_dir(const Environment& env) {
    const auto home = env("HOME");
    return std::filesystem::path(home && !home->empty() ? *home : ".") / ".aws";
}

std::optional<std::string> non_empty(const Environment& env, const std::string& name) {
    auto value = env(name);
    if (value && value->empty()) return std::nullopt;
    return value;
}

}  // namespace

Environment process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

std::string profile_name(const Environment& env, const std::optional<std::string>& flag) {
    if (flag && !flag->empty()) return *flag;
    return non_empty(env, "AWS_PROFILE").value_or("default");
}

bool profile_named_explicitly(const Environment& env, const std::optional<std::string>& flag) {
    return (flag && !flag->empty()) || non_empty(env, "AWS_PROFILE").has_value();
}

std::filesystem::path credentials_file_path(const Environment& env) {
    if (auto path = non_empty(env, "AWS_SHARED_CREDENTIALS_FILE")) return *path;
    return aws_dir(env) / "credentials";
}

std::filesystem::path config_file_path(const Environment& env) {
    if (auto path = non_empty(env, "AWS_CONFIG_FILE")) return *path;
    return aws_dir(env) / "config";
}

util::Result<std::optional<IniFile>> load_ini_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::optional<IniFile>{};
    std::ifstream in(path);
    if (!in) return util::make_error("cannot read " + path.string() + ": check its permissions");
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_ini(text.str(), path.string());
    if (!parsed.ok()) return parsed.error();
    return std::optional<IniFile>{std::move(parsed.value())};
}

const IniSection* config_profile(const IniFile& config, const std::string& profile) {
    auto it = config.find(profile == "default" ? profile : "profile " + profile);
    if (it == config.end() && profile == "default") it = config.find("profile default");
    return it == config.end() ? nullptr : &it->second;
}

}  // namespace spotfarm::providers::aws
