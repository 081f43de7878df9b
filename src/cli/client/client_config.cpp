#include "cli/client/client_config.h"

#include <cstdlib>

#include <toml++/toml.h>

#include "cli/cloud/cloud_manager_record.h"
#include "cli/common/commands.h"
#include "providers/aws/region.h"
#include "util/ascii.h"
#include "util/text_file.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_max_config_bytes = 64 * 1024;
constexpr std::size_t k_max_token_bytes = 4096;

util::Error usage(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

std::optional<std::string> non_empty(std::optional<std::string> value) {
    if (value && util::trim(*value).empty()) return std::nullopt;
    return value;
}

fs::path expand_home(const fs::path& path, const fs::path& home) {
    std::string text = path.string();
    if (text == "~") return home;
    if (text.starts_with("~/")) return home / text.substr(2);
    return path;
}

// A token kept in a file, such as the people.token the manager writes into its state folder.
util::Result<std::string> read_token_file(const fs::path& path, std::string_view source) {
    auto text = util::read_text_file(path, k_max_token_bytes);
    if (!text) {
        return usage("cannot read the token file given by " + std::string(source) + ": " +
                     text.error().message +
                     ". The manager writes its people token to people.token in its state folder.");
    }
    std::string token(util::trim(*text));
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos) {
        return usage("the token file " + path.string() + " (given by " + std::string(source) +
                     ") does not hold one token; it should hold the text of the manager's "
                     "people.token");
    }
    return token;
}

std::string where(const toml::node& node, const fs::path& path) {
    return path.string() + ":" + std::to_string(node.source().begin.line);
}

util::Result<std::optional<std::string>> string_key(const toml::table& table, std::string_view key,
                                                    const fs::path& path) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<std::string>{};
    if (!node->is_string()) {
        return usage(where(*node, path) + ": '" + std::string(key) +
                     "' must be a string in quotes, e.g. " + std::string(key) + " = \"...\"");
    }
    return std::optional<std::string>{node->value_or(std::string())};
}

struct Candidate {
    std::optional<std::string> value;
    std::string source;
};

// The first candidate with a value.
const Candidate* first_given(std::initializer_list<const Candidate*> candidates) {
    for (const Candidate* c : candidates) {
        if (c->value) return c;
    }
    return nullptr;
}

std::string missing_message(std::string_view what, std::string_view flag, std::string_view variable,
                            std::string_view key, std::string_view example,
                            const fs::path& config) {
    return "no " + std::string(what) + " given. Give it in one of three ways:\n" +
           "  1. the flag " + std::string(flag) + "\n" +                      //
           "  2. the environment variable " + std::string(variable) + "\n" +  //
           "  3. the config file " + config.string() + " (or --config FILE, or SPOTFARM_CONFIG)" +
           " with the line: " + std::string(key) + " = \"" + std::string(example) + "\"";
}

}  // namespace

const char* const k_client_config_help = R"(
Manager connection (first found wins, for the URL and the token separately):
  1. flags: --manager URL, --token T or --token-file FILE
  2. environment: SPOTFARM_MANAGER, SPOTFARM_TOKEN or SPOTFARM_TOKEN_FILE
  3. config file: --config FILE, else $SPOTFARM_CONFIG, else ~/.config/spotfarm/config.toml:
       manager = "http://render-box:8420"
       token_file = "/srv/spotfarm/state/people.token"   # or: token = "..."
  The manager writes its people token to people.token in its state folder (--state-dir).
  An https:// manager with a self-signed certificate is trusted by its pin only (printed by the
  manager at start): --manager-pin, SPOTFARM_MANAGER_PIN or manager_pin = "sha256//...".
  --cloud aws: the manager `render --cloud aws` started, its URL, pin and token as recorded on
  this machine (--region, else the AWS region).)";

ClientEnvironment process_environment() {
    ClientEnvironment env;
    env.getenv = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
    };
    const char* home = std::getenv("HOME");
    env.home = home ? fs::path(home) : fs::path();
    return env;
}

fs::path default_config_path(const ClientEnvironment& env) {
    auto xdg = non_empty(env.getenv("XDG_CONFIG_HOME"));
    fs::path base = xdg ? fs::path(*xdg) : env.home / ".config";
    return base / "spotfarm" / "config.toml";
}

util::Result<ConfigFile> parse_config_file(std::string_view text, const fs::path& path) {
    toml::table table;
    try {
        table = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        return usage(path.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                     std::to_string(e.source().begin.column) + ": " + std::string(e.description()) +
                     " (the config file is TOML, e.g. " + "manager = \"http://host:8420\")");
    }
    for (const auto& [key, node] : table) {
        if (node.is_table()) continue;
        if (key != "manager" && key != "token" && key != "token_file" && key != "manager_pin") {
            return usage(where(node, path) + ": unknown key '" + std::string(key.str()) +
                         "'; the keys are manager, token, token_file and manager_pin");
        }
    }
    ConfigFile config;
    auto manager = string_key(table, "manager", path);
    if (!manager) return manager.error();
    auto token = string_key(table, "token", path);
    if (!token) return token.error();
    auto token_file = string_key(table, "token_file", path);
    if (!token_file) return token_file.error();
    auto pin = string_key(table, "manager_pin", path);
    if (!pin) return pin.error();
    config.manager_pin = *pin;
    if (*token && *token_file) {
        return usage(path.string() + ": give either token or token_file, not both");
    }
    config.manager = *manager;
    config.token = *token;
    if (*token_file) {
        fs::path file(**token_file);
        config.token_file = file.is_relative() ? path.parent_path() / file : file;
    }
    return config;
}

util::Result<std::string> normalize_manager_url(std::string_view url) {
    std::string text(util::trim(url));
    if (text.find("://") == std::string::npos) text = "http://" + text;
    if (!text.starts_with("http://") && !text.starts_with("https://")) {
        return usage("the manager URL '" + std::string(url) +
                     "' must start with http:// or https://");
    }
    const std::size_t host_at = text.find("://") + 3;
    while (text.size() > host_at && text.ends_with("/")) text.pop_back();
    if (text.ends_with("/api/v1")) text.resize(text.size() - std::string_view("/api/v1").size());
    std::string_view rest = std::string_view(text).substr(host_at);
    if (rest.empty() || rest.front() == ':' || rest.front() == '/') {
        return usage("the manager URL '" + std::string(url) +
                     "' has no host; give e.g. http://localhost:8420");
    }
    return text;
}

util::Status check_manager_pin(std::string_view pin, std::string_view source) {
    constexpr std::string_view prefix = "sha256//";
    bool base64 =
        pin.size() == prefix.size() + 44 && pin.ends_with("=") &&
        pin.substr(prefix.size())
                .find_first_not_of(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
            std::string_view::npos;
    if (pin.starts_with(prefix) && base64) return {};
    return usage("the manager pin given by " + std::string(source) +
                 " is not a pin: it looks like "
                 "sha256// and 44 characters of base64, as the manager prints it at start");
}

namespace {

util::Result<ClientConfig> cloud_client_config(const ClientFlags& flags,
                                               const ClientEnvironment& env) {
    if (flags.cloud != "aws") {
        return usage("--cloud '" + flags.cloud + "': the cloud spotfarm knows is aws");
    }
    if (!flags.manager.empty()) {
        return usage("--cloud and --manager each name a manager; give one");
    }
    auto region = providers::aws::resolve_region(
        env.getenv, flags.region.empty() ? std::nullopt : std::optional<std::string>(flags.region));
    if (!region) return usage(region.error().message);
    const fs::path dir = cloud_state_dir(env.getenv, env.home);
    auto record = load_cloud_manager(dir, *region);
    if (!record) return record.error();
    if (!*record) {
        return util::make_error("no cloud manager is recorded on this machine for " + *region +
                                    " (in " + dir.string() +
                                    "): `spotfarm render SCENE --cloud aws --count N` starts one",
                                util::ErrorKind::unavailable);
    }
    return client_config_of(**record, cloud_manager_record_path(dir, *region));
}

}  // namespace

util::Result<ClientConfig> resolve_client_config(const ClientFlags& flags,
                                                 const ClientEnvironment& env) {
    if (!flags.cloud.empty()) return cloud_client_config(flags, env);
    auto flag = [](const std::string& value) {
        return value.empty() ? std::nullopt : std::optional<std::string>(value);
    };
    Candidate flag_manager{flag(flags.manager), "--manager"};
    Candidate flag_token{flag(flags.token), "--token"};
    Candidate flag_token_file{flag(flags.token_file), "--token-file"};
    Candidate env_manager{non_empty(env.getenv("SPOTFARM_MANAGER")), "SPOTFARM_MANAGER"};
    Candidate env_token{non_empty(env.getenv("SPOTFARM_TOKEN")), "SPOTFARM_TOKEN"};
    Candidate env_token_file{non_empty(env.getenv("SPOTFARM_TOKEN_FILE")), "SPOTFARM_TOKEN_FILE"};

    // The config file: named ones must exist; the default one is read only when needed.
    fs::path config_path = default_config_path(env);
    bool named = false;
    if (auto from_flag = flag(flags.config)) {
        config_path = *from_flag;
        named = true;
    } else if (auto from_env = non_empty(env.getenv("SPOTFARM_CONFIG"))) {
        config_path = *from_env;
        named = true;
    }
    config_path = expand_home(config_path, env.home);
    bool need_file = !first_given({&flag_manager, &env_manager}) ||
                     !first_given({&flag_token, &flag_token_file, &env_token, &env_token_file});
    Candidate file_manager{std::nullopt, config_path.string()};
    Candidate file_token{std::nullopt, config_path.string()};
    Candidate file_token_file{std::nullopt, config_path.string()};
    Candidate file_pin{std::nullopt, config_path.string()};
    std::error_code ec;
    if (named || (need_file && fs::exists(config_path, ec))) {
        auto text = util::read_text_file(config_path, k_max_config_bytes);
        if (!text) return usage("cannot read the config file: " + text.error().message);
        auto parsed = parse_config_file(*text, config_path);
        if (!parsed) return parsed.error();
        file_manager.value = parsed->manager;
        file_token.value = parsed->token;
        if (parsed->token_file) file_token_file.value = parsed->token_file->string();
        file_pin.value = parsed->manager_pin;
    }

    const Candidate* manager = first_given({&flag_manager, &env_manager, &file_manager});
    if (!manager) {
        return usage(missing_message("manager URL", "--manager URL", "SPOTFARM_MANAGER", "manager",
                                     "http://localhost:8420", config_path));
    }
    const Candidate* token = first_given({&flag_token, &flag_token_file, &env_token,
                                          &env_token_file, &file_token, &file_token_file});
    if (!token) {
        return usage(missing_message("token", "--token T (or --token-file FILE)",
                                     "SPOTFARM_TOKEN (or SPOTFARM_TOKEN_FILE)", "token_file",
                                     "/path/to/state/people.token", config_path));
    }

    ClientConfig config;
    auto url = normalize_manager_url(*manager->value);
    if (!url) return usage(url.error().message + " (given by " + manager->source + ")");
    config.manager_url = *url;
    config.manager_source = manager->source;
    config.token_source = token->source;
    if (token == &flag_token_file || token == &env_token_file || token == &file_token_file) {
        fs::path file = expand_home(*token->value, env.home);
        auto read = read_token_file(file, token->source);
        if (!read) return read.error();
        config.token = *read;
        config.token_source = file.string() + " (from " + token->source + ")";
    } else {
        config.token = util::trim(*token->value);
    }
    // The pin belongs to the URL: it is taken from where the URL came from, so a pin in the
    // config file never meets a manager named by a flag.
    Candidate flag_pin{flag(flags.manager_pin), "--manager-pin"};
    Candidate env_pin{non_empty(env.getenv("SPOTFARM_MANAGER_PIN")), "SPOTFARM_MANAGER_PIN"};
    const Candidate* pin = manager == &file_manager ? first_given({&flag_pin, &env_pin, &file_pin})
                                                    : first_given({&flag_pin, &env_pin});
    if (pin) {
        std::string text(util::trim(*pin->value));
        if (auto checked = check_manager_pin(text, pin->source); !checked) return checked.error();
        config.manager_pin = text;
    }
    return config;
}

void add_client_options(CLI::App& command, ClientFlags& flags) {
    auto* group = command.add_option_group("Manager connection");
    group->add_option("--manager", flags.manager, "The manager's URL, e.g. http://render-box:8420")
        ->type_name("URL");
    group->add_option("--token", flags.token, "The people token (see --token-file)")
        ->type_name("T");
    group
        ->add_option("--token-file", flags.token_file,
                     "A file holding the token, e.g. the manager's STATE/people.token")
        ->type_name("FILE");
    group->add_option("--config", flags.config, "A TOML config file with manager and token")
        ->type_name("FILE");
    group
        ->add_option("--manager-pin", flags.manager_pin,
                     "Trust the https manager whose key has this pin, and no other")
        ->type_name("PIN");
    // `render` has --cloud and --region of its own, for its fleet.
    if (command.get_option_no_throw("--cloud") == nullptr) {
        group
            ->add_option("--cloud", flags.cloud,
                         "The manager a cloud render started (render --cloud), as recorded here")
            ->type_name("aws");
        if (command.get_option_no_throw("--region") == nullptr) {
            group->add_option("--region", flags.region, "--cloud: the region of that manager");
        }
    }
}

}  // namespace spotfarm::cli
