#pragma once
// Where the people commands (submit, jobs, job, workers, ...) find their manager and token:
// flags first, then the environment, then a TOML config file. Each setting is taken from the
// first place that has it, so a token in the environment and a URL in the file work together.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "util/result.h"

namespace spotfarm::cli {

// What the command line gave; empty means not given.
struct ClientFlags {
    std::string manager;
    std::string token;
    std::string token_file;
    std::string config;
    std::string manager_pin;
    // --cloud aws: the manager a cloud render started, as this machine recorded it
    // (cli/cloud/cloud_manager_record.h); --region picks the record.
    std::string cloud;
    std::string region;
};

// The process's environment and home folder, passed in so tests choose them.
struct ClientEnvironment {
    std::function<std::optional<std::string>(const std::string& name)> getenv;
    std::filesystem::path home;
};
ClientEnvironment process_environment();

// The keys of a config file: manager = "URL", token = "T" or token_file = "PATH".
struct ConfigFile {
    std::optional<std::string> manager;
    std::optional<std::string> token;
    std::optional<std::filesystem::path> token_file;  // relative paths taken from the file's folder
    std::optional<std::string> manager_pin;
};

// Parses the text of a config file read from `path` (used in messages and for relative paths).
// Fails, naming the file, line and key, on bad TOML, a key that is not a string, both token and
// token_file, or a top-level key it does not know (tables such as [worker] are left to others).
util::Result<ConfigFile> parse_config_file(std::string_view text,
                                           const std::filesystem::path& path);

// The settled connection, with where each part came from for messages.
struct ClientConfig {
    std::string manager_url;  // "http://host:port", no trailing '/'
    std::string token;
    std::string manager_source;  // "--manager", "SPOTFARM_MANAGER", "/path/config.toml"
    std::string token_source;
    // "sha256//BASE64": the https manager's key, the only one trusted; empty: the system's CAs.
    std::string manager_pin;
};

// With --cloud: the recorded cloud manager of the region (--region, else AWS_REGION,
// AWS_DEFAULT_REGION or the AWS profile's region), and nothing else.
// Flags, then SPOTFARM_MANAGER / SPOTFARM_TOKEN / SPOTFARM_TOKEN_FILE, then the config file
// (--config, else $SPOTFARM_CONFIG, else $XDG_CONFIG_HOME or ~/.config, /spotfarm/config.toml).
// A config file named by flag or variable must exist; the default one may be missing. Errors
// carry code 2 (usage) and, when the URL or token is missing, name all three ways to give it.
util::Result<ClientConfig> resolve_client_config(const ClientFlags& flags,
                                                 const ClientEnvironment& env);

// "host:8080" -> "http://host:8080"; drops a trailing '/' and "/api/v1". Fails on schemes other
// than http and https and on URLs without a host.
util::Result<std::string> normalize_manager_url(std::string_view url);

// The default config file for this environment.
std::filesystem::path default_config_path(const ClientEnvironment& env);

// Checks the shape of a pin ("sha256//" and 44 characters of base64); `source` names where it
// came from in the message.
util::Status check_manager_pin(std::string_view pin, std::string_view source);

// Registers --manager, --token, --token-file, --config, --manager-pin and --cloud (with
// --region, unless the command has its own) on `command` in one option group.
void add_client_options(CLI::App& command, ClientFlags& flags);

// The help text that says where the connection comes from, for the commands' footers.
extern const char* const k_client_config_help;

}  // namespace spotfarm::cli
