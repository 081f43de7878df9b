#include "cli/client/client_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "cli/cloud/cloud_manager_record.h"
#include "cli/common/commands.h"
#include "store/test_dir.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;

class ClientConfigTest : public ::testing::Test {
protected:
    ClientEnvironment env() const {
        ClientEnvironment e;
        e.getenv = [vars = vars](const std::string& name) -> std::optional<std::string> {
            auto it = vars.find(name);
            return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        e.home = home();
        return e;
    }
    fs::path home() const { return dir.path() / "home"; }
    fs::path default_file() const { return home() / ".config/spotfarm/config.toml"; }

    static void write(const fs::path& path, const std::string& text) {
        fs::create_directories(path.parent_path());
        std::ofstream(path) << text;
    }

    util::Result<ClientConfig> resolve() const { return resolve_client_config(flags, env()); }

    store::TestDir dir;
    std::map<std::string, std::string> vars;
    ClientFlags flags;
};

TEST_F(ClientConfigTest, FlagsWinOverEnvironmentAndFile) {
    write(default_file(), "manager = \"http://file:1\"\ntoken = \"file-token\"\n");
    vars = {{"SPOTFARM_MANAGER", "http://env:2"}, {"SPOTFARM_TOKEN", "env-token"}};
    flags.manager = "http://flag:3";
    flags.token = "flag-token";
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_url, "http://flag:3");
    EXPECT_EQ(config->token, "flag-token");
    EXPECT_EQ(config->manager_source, "--manager");
    EXPECT_EQ(config->token_source, "--token");
}

TEST_F(ClientConfigTest, EnvironmentWinsOverFile) {
    write(default_file(), "manager = \"http://file:1\"\ntoken = \"file-token\"\n");
    vars = {{"SPOTFARM_MANAGER", "http://env:2"}, {"SPOTFARM_TOKEN", "env-token"}};
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_url, "http://env:2");
    EXPECT_EQ(config->token, "env-token");
    EXPECT_EQ(config->token_source, "SPOTFARM_TOKEN");
}

TEST_F(ClientConfigTest, FileFillsWhatIsMissingPerSetting) {
    write(default_file(), "manager = \"http://file:1\"\ntoken = \"file-token\"\n");
    vars = {{"SPOTFARM_TOKEN", "env-token"}};
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_url, "http://file:1");
    EXPECT_EQ(config->manager_source, default_file().string());
    EXPECT_EQ(config->token, "env-token");
}

TEST_F(ClientConfigTest, ConfigFlagWinsOverVariableAndDefault) {
    write(default_file(), "manager = \"http://default:1\"\ntoken = \"t1\"\n");
    write(dir.path() / "env.toml", "manager = \"http://from-variable:2\"\ntoken = \"t2\"\n");
    write(dir.path() / "flag.toml", "manager = \"http://from-flag:3\"\ntoken = \"t3\"\n");
    vars = {{"SPOTFARM_CONFIG", (dir.path() / "env.toml").string()}};
    auto from_variable = resolve();
    ASSERT_TRUE(from_variable) << from_variable.error().message;
    EXPECT_EQ(from_variable->manager_url, "http://from-variable:2");
    flags.config = (dir.path() / "flag.toml").string();
    auto from_flag = resolve();
    ASSERT_TRUE(from_flag) << from_flag.error().message;
    EXPECT_EQ(from_flag->manager_url, "http://from-flag:3");
    EXPECT_EQ(from_flag->token, "t3");
}

TEST_F(ClientConfigTest, XdgConfigHomeMovesTheDefaultFile) {
    vars = {{"XDG_CONFIG_HOME", (dir.path() / "xdg").string()}};
    EXPECT_EQ(default_config_path(env()), dir.path() / "xdg/spotfarm/config.toml");
    vars.clear();
    EXPECT_EQ(default_config_path(env()), default_file());
}

TEST_F(ClientConfigTest, TokenFileRelativeToTheConfigFileIsRead) {
    write(dir.path() / "farm/state/people.token", "0123456789abcdef\n");
    write(dir.path() / "farm/config.toml",
          "manager = \"render-box:8080/\"\ntoken_file = \"state/people.token\"\n");
    flags.config = (dir.path() / "farm/config.toml").string();
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->token, "0123456789abcdef");
    EXPECT_EQ(config->manager_url, "http://render-box:8080");
    EXPECT_NE(config->token_source.find("people.token"), std::string::npos);
}

TEST_F(ClientConfigTest, TokenFileFlagAndVariable) {
    write(dir.path() / "a.token", "token-from-flag-file\n");
    write(dir.path() / "b.token", "token-from-env-file\n");
    vars = {{"SPOTFARM_MANAGER", "http://m:1"},
            {"SPOTFARM_TOKEN_FILE", (dir.path() / "b.token").string()}};
    auto from_env = resolve();
    ASSERT_TRUE(from_env) << from_env.error().message;
    EXPECT_EQ(from_env->token, "token-from-env-file");
    flags.token_file = (dir.path() / "a.token").string();
    auto from_flag = resolve();
    ASSERT_TRUE(from_flag) << from_flag.error().message;
    EXPECT_EQ(from_flag->token, "token-from-flag-file");
}

TEST_F(ClientConfigTest, UnreadableOrEmptyTokenFileIsAClearError) {
    vars = {{"SPOTFARM_MANAGER", "http://m:1"}};
    flags.token_file = (dir.path() / "missing.token").string();
    auto missing = resolve();
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(missing.error().message.find("missing.token"), std::string::npos);
    EXPECT_NE(missing.error().message.find("people.token"), std::string::npos);
    write(dir.path() / "empty.token", "  \n");
    flags.token_file = (dir.path() / "empty.token").string();
    auto empty = resolve();
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().message.find("does not hold one token"), std::string::npos);
}

TEST_F(ClientConfigTest, NothingSetNamesAllThreeWays) {
    auto config = resolve();
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().kind, util::ErrorKind::invalid);
    const std::string& m = config.error().message;
    EXPECT_NE(m.find("--manager"), std::string::npos) << m;
    EXPECT_NE(m.find("SPOTFARM_MANAGER"), std::string::npos) << m;
    EXPECT_NE(m.find(default_file().string()), std::string::npos) << m;

    vars = {{"SPOTFARM_MANAGER", "http://m:1"}};
    auto no_token = resolve();
    ASSERT_FALSE(no_token);
    EXPECT_NE(no_token.error().message.find("--token"), std::string::npos);
    EXPECT_NE(no_token.error().message.find("SPOTFARM_TOKEN"), std::string::npos);
    EXPECT_NE(no_token.error().message.find("token_file"), std::string::npos);
}

TEST_F(ClientConfigTest, NamedConfigFileMustExistButTheDefaultMayNot) {
    flags.manager = "http://m:1";
    flags.token = "t";
    flags.config = (dir.path() / "nope.toml").string();
    auto named = resolve();
    ASSERT_FALSE(named);
    EXPECT_NE(named.error().message.find("nope.toml"), std::string::npos);
    flags.config.clear();
    EXPECT_TRUE(resolve());
}

TEST_F(ClientConfigTest, BrokenDefaultFileIsIgnoredWhenNotNeeded) {
    write(default_file(), "manager = [broken\n");
    vars = {{"SPOTFARM_MANAGER", "http://m:1"}, {"SPOTFARM_TOKEN", "t"}};
    EXPECT_TRUE(resolve());
    vars.erase("SPOTFARM_TOKEN");
    auto needed = resolve();
    ASSERT_FALSE(needed);
    EXPECT_NE(needed.error().message.find(default_file().string() + ":1:"), std::string::npos)
        << needed.error().message;
}

TEST(ConfigFile, SyntaxErrorNamesFileAndLine) {
    auto parsed = parse_config_file("manager = \"http://a:1\"\ntoken = oops\n", "/etc/x.toml");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind, util::ErrorKind::invalid);
    EXPECT_TRUE(parsed.error().message.starts_with("/etc/x.toml:2:")) << parsed.error().message;
}

TEST(ConfigFile, ValuesMustBeStrings) {
    auto parsed = parse_config_file("\n\nmanager = 8080\n", "/etc/x.toml");
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("/etc/x.toml:3: 'manager' must be a string"),
              std::string::npos)
        << parsed.error().message;
}

TEST(ConfigFile, UnknownKeysAreRefusedButTablesAreLeftToOthers) {
    auto typo = parse_config_file("manger = \"http://a:1\"\n", "/c.toml");
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find("unknown key 'manger'"), std::string::npos);
    auto tables =
        parse_config_file("manager = \"http://a:1\"\n[worker]\ntags = [\"gpu\"]\n", "/c.toml");
    ASSERT_TRUE(tables) << tables.error().message;
    EXPECT_EQ(tables->manager, "http://a:1");
    EXPECT_FALSE(tables->token);
}

TEST(ConfigFile, TokenAndTokenFileTogetherAreRefused) {
    auto both = parse_config_file("token = \"a\"\ntoken_file = \"/t\"\n", "/c.toml");
    ASSERT_FALSE(both);
    EXPECT_NE(both.error().message.find("either token or token_file"), std::string::npos);
}

TEST(ConfigFile, AbsoluteTokenFileStaysAsGiven) {
    auto parsed = parse_config_file("token_file = \"/srv/state/people.token\"\n", "/c/c.toml");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->token_file, fs::path("/srv/state/people.token"));
}

TEST(ManagerUrl, NormalizesAndRefuses) {
    EXPECT_EQ(normalize_manager_url("localhost:8080").value_or(""), "http://localhost:8080");
    EXPECT_EQ(normalize_manager_url("https://farm.example/").value_or(""), "https://farm.example");
    EXPECT_EQ(normalize_manager_url("http://h:1/api/v1/").value_or(""), "http://h:1");
    EXPECT_EQ(normalize_manager_url(" http://h:1 ").value_or(""), "http://h:1");
    EXPECT_FALSE(normalize_manager_url("ftp://h:1"));
    EXPECT_FALSE(normalize_manager_url("http://"));
    EXPECT_FALSE(normalize_manager_url(":8080"));
}

constexpr const char* k_pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
constexpr const char* k_other_pin = "sha256//BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";

TEST_F(ClientConfigTest, APinComesWithTheUrlFromTheConfigFile) {
    write(default_file(), std::string("manager = \"https://file:1\"\ntoken = \"t\"\n") +
                              "manager_pin = \"" + k_pin + "\"\n");
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_pin, k_pin);
}

TEST_F(ClientConfigTest, APinInTheFileNeverMeetsAManagerNamedElsewhere) {
    write(default_file(), std::string("manager = \"https://file:1\"\ntoken = \"t\"\n") +
                              "manager_pin = \"" + k_pin + "\"\n");
    flags.manager = "https://elsewhere:2";
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_pin, "");
    vars = {{"SPOTFARM_MANAGER_PIN", k_other_pin}};
    config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_pin, k_other_pin);
}

TEST_F(ClientConfigTest, AMalformedPinIsAUsageErrorThatSaysWhereItCameFrom) {
    flags.manager = "https://m:1";
    flags.token = "t";
    flags.manager_pin = "AAAA";
    auto config = resolve();
    ASSERT_FALSE(config);
    EXPECT_EQ(exit_code(config.error().kind), k_exit_usage);
    EXPECT_NE(config.error().message.find("--manager-pin"), std::string::npos);
}

TEST_F(ClientConfigTest, CloudFindsTheRecordedManagerOfTheRegion) {
    vars = {{"SPOTFARM_CLOUD_STATE", (dir.path() / "cloud").string()}, {"AWS_REGION", "eu-west-1"}};
    flags.cloud = "aws";
    auto none = resolve();
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("render SCENE --cloud aws"), std::string::npos)
        << none.error().message;

    CloudManagerRecord record{
        "eu-west-1", "i-0123456789abcdef0", "https://203.0.113.7:8420", k_pin, "people_token_value",
        "t3.small",  "2026-12-05T09:00:00Z"};
    ASSERT_TRUE(save_cloud_manager(dir.path() / "cloud", record));
    auto config = resolve();
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->manager_url, "https://203.0.113.7:8420");
    EXPECT_EQ(config->token, "people_token_value");
    EXPECT_EQ(config->manager_pin, k_pin);

    flags.region = "us-east-1";
    EXPECT_FALSE(resolve());
    flags.region.clear();
    flags.manager = "http://elsewhere:1";
    auto both = resolve();
    ASSERT_FALSE(both);
    EXPECT_EQ(exit_code(both.error().kind), k_exit_usage);
}

}  // namespace
}  // namespace spotfarm::cli
