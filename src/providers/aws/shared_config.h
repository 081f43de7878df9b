#pragma once
// Where AWS's shared files are and which profile applies, as the AWS CLI and SDKs decide it:
// AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE / AWS_PROFILE, else ~/.aws/... and "default".

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "providers/aws/ini.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// Reads one environment variable; tests pass a map instead of the process environment.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment process_environment();

// The flag's profile if given, else AWS_PROFILE, else "default".
std::string profile_name(const Environment& env, const std::optional<std::string>& flag = {});
// True when a profile was asked for by name (flag or AWS_PROFILE) rather than defaulted.
bool profile_named_explicitly(const Environment& env, const std::optional<std::string>& flag);

std::filesystem::path credentials_file_path(const Environment& env);
std::filesystem::path config_file_path(const Environment& env);

// nullopt when the file does not exist; an error when it cannot be read or parsed.
util::Result<std::optional<IniFile>> load_ini_file(const std::filesystem::path& path);

// ~/.aws/config names sections "[profile NAME]", except "[default]".
const IniSection* config_profile(const IniFile& config, const std::string& profile);

}  // namespace spotfarm::providers::aws
