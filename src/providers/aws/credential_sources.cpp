#include "providers/aws/credential_sources.h"

#include <nlohmann/json.hpp>

#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

constexpr auto k_refresh_margin = std::chrono::minutes(5);
constexpr std::string_view k_role_path = "/latest/meta-data/iam/security-credentials/";

std::optional<std::string> lookup(const IniSection& section, const std::string& key) {
    auto it = section.find(key);
    if (it == section.end() || it->second.empty()) return std::nullopt;
    return it->second;
}

// nullopt when the section has no keys at all.
util::Result<std::optional<Credentials>> keys_from_section(const IniSection& section,
                                                           const std::string& profile,
                                                           const std::filesystem::path& file) {
    const auto id = lookup(section, "aws_access_key_id");
    const auto secret = lookup(section, "aws_secret_access_key");
    const std::string where = "profile '" + profile + "' in " + file.string();
    if (id && secret) {
        Credentials credentials{*id, *secret, lookup(section, "aws_session_token").value_or("")};
        credentials.source = where;
        return std::optional<Credentials>{std::move(credentials)};
    }
    if (id || secret)
        return util::make_error(where + " has " +
                                (id ? "aws_access_key_id but no aws_secret_access_key"
                                    : "aws_secret_access_key but no aws_access_key_id") +
                                "; add the missing line (or run `aws configure`)");
    for (const char* key : {"role_arn", "sso_session", "sso_start_url", "credential_process"})
        if (lookup(section, key))
            return util::make_error(
                where + " uses " + key + ", which spotfarm cannot follow; export plain keys " +
                "with `aws configure export-credentials --profile " + profile +
                " --format env` and run spotfarm with those in the environment");
    return std::optional<Credentials>{};
}

}  // namespace

util::Result<std::optional<Credentials>> credentials_from_environment(const Environment& env) {
    const auto id = env("AWS_ACCESS_KEY_ID");
    const auto secret = env("AWS_SECRET_ACCESS_KEY");
    const bool has_id = id && !id->empty();
    const bool has_secret = secret && !secret->empty();
    if (!has_id && !has_secret) return std::optional<Credentials>{};
    if (!has_id || !has_secret)
        return util::make_error(
            std::string(has_id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is set but " +
            (has_id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
            " is not; set both (or unset both to use a profile)");
    Credentials credentials{*id, *secret, env("AWS_SESSION_TOKEN").value_or("")};
    credentials.source = "environment";
    return std::optional<Credentials>{std::move(credentials)};
}

util::Result<std::optional<Credentials>> credentials_from_shared_files(const Environment& env,
                                                                       const std::string& profile) {
    const auto credentials_path = credentials_file_path(env);
    auto credentials_file = load_ini_file(credentials_path);
    if (!credentials_file.ok()) return credentials_file.error();
    if (*credentials_file) {
        auto it = (*credentials_file)->find(profile);
        if (it != (*credentials_file)->end()) {
            auto keys = keys_from_section(it->second, profile, credentials_path);
            if (!keys.ok() || *keys) return keys;
        }
    }
    const auto config_path = config_file_path(env);
    auto config_file = load_ini_file(config_path);
    if (!config_file.ok()) return config_file.error();
    if (*config_file)
        if (const IniSection* section = config_profile(**config_file, profile))
            return keys_from_section(*section, profile, config_path);
    return std::optional<Credentials>{};
}

InstanceRoleCredentialsProvider::InstanceRoleCredentialsProvider(util::HttpClient& http,
                                                                 const util::Clock& clock,
                                                                 util::ImdsOptions imds)
    : m_imds(http, std::move(imds)), m_clock(clock) {}

util::Result<Credentials> InstanceRoleCredentialsProvider::credentials() {
    std::lock_guard lock(m_mutex);
    if (m_cached && m_cached->expiration &&
        m_clock.wall_now() + k_refresh_margin < *m_cached->expiration)
        return *m_cached;
    auto fresh = fetch();
    if (!fresh.ok()) return fresh.error();
    m_cached = fresh.value();
    return fresh;
}

util::Result<Credentials> InstanceRoleCredentialsProvider::fetch() {
    auto roles = m_imds.get(k_role_path);
    if (!roles.ok()) return roles.error();
    const std::string listing = roles->value_or("");
    const std::string role = listing.substr(0, listing.find_first_of("\r\n"));
    if (role.empty())
        return util::make_error(
            "this EC2 instance has no instance role (IAM instance profile); attach one that may "
            "call EC2, or give spotfarm keys through the environment or ~/.aws/credentials");
    auto document = m_imds.get(std::string(k_role_path) + role);
    if (!document.ok()) return document.error();
    if (!*document)
        return util::make_error("the instance role '" + role + "' has no credentials in IMDS");
    const auto json = nlohmann::json::parse(**document, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return util::make_error(
            "IMDS answered the instance role's credentials with something "
            "that is not JSON");
    if (json.value("Code", "Success") != "Success")
        return util::make_error("IMDS could not give the credentials of role '" + role +
                                "': " + json.value("Code", "") + " " + json.value("Message", ""));
    Credentials credentials{json.value("AccessKeyId", ""), json.value("SecretAccessKey", ""),
                            json.value("Token", "")};
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty())
        return util::make_error("IMDS gave the instance role's credentials without keys");
    if (json.contains("Expiration")) {
        auto expiration = util::parse_iso8601_utc(json.value("Expiration", ""));
        if (!expiration.ok())
            return util::make_error("IMDS gave a bad credential expiration: " +
                                    expiration.error().message);
        credentials.expiration = expiration.value();
    }
    credentials.source = "instance role " + role;
    return credentials;
}

util::Result<std::unique_ptr<CredentialsProvider>> resolve_credentials(
    const Environment& env, util::HttpClient& http, const util::Clock& clock,
    const CredentialOptions& options) {
    using Provider = std::unique_ptr<CredentialsProvider>;
    auto from_env = credentials_from_environment(env);
    if (!from_env.ok()) return from_env.error();
    if (*from_env) return Provider(std::make_unique<StaticCredentialsProvider>(**from_env));

    const std::string profile = profile_name(env, options.profile);
    auto from_files = credentials_from_shared_files(env, profile);
    if (!from_files.ok()) return from_files.error();
    if (*from_files) return Provider(std::make_unique<StaticCredentialsProvider>(**from_files));
    const std::string files =
        credentials_file_path(env).string() + " or " + config_file_path(env).string();
    if (profile_named_explicitly(env, options.profile))
        return util::make_error("AWS profile '" + profile + "' has no keys in " + files +
                                "; check the name, or run `aws configure --profile " + profile +
                                "`");

    std::string why_not_role = "the instance role was not tried";
    if (options.use_instance_role) {
        auto role = std::make_unique<InstanceRoleCredentialsProvider>(http, clock, options.imds);
        auto probe = role->credentials();
        if (probe.ok()) return Provider(std::move(role));
        why_not_role = probe.error().message;
    }
    return util::make_error(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [" +
        profile + "] profile to " + files + " (`aws configure`), or run on an EC2 instance with " +
        "an instance role (" + why_not_role + ")");
}

}  // namespace spotfarm::providers::aws
