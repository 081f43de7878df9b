#include "providers/aws/credential_sources.h"

#include <map>

#include <gtest/gtest.h>

#include "providers/aws/region.h"
#include "support/expect_error.h"
#include "support/fake_http_client.h"
#include "support/scratch_dir.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::test::ScratchDir;
using spotfarm::testing::fails_mentioning;
using spotfarm::testing::FakeHttpClient;
using spotfarm::testing::http_response;

Environment env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

// IMDS with a role "render-role" whose credentials expire at `expiration`.
util::Result<util::HttpResponse> role_imds(const util::HttpRequest& request,
                                           const std::string& expiration, int* fetches) {
    if (request.method == "PUT") return http_response(200, "tok");
    if (request.url.ends_with("/security-credentials/")) return http_response(200, "render-role\n");
    if (request.url.ends_with("/security-credentials/render-role")) {
        if (fetches) ++*fetches;
        return http_response(200, R"({"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z",
            "Type":"AWS-HMAC","AccessKeyId":"ASIAROLE","SecretAccessKey":"rolesecret",
            "Token":"roletoken","Expiration":")" +
                                      expiration + R"("})");
    }
    return http_response(404);
}

FakeHttpClient no_imds() {
    return FakeHttpClient([](const util::HttpRequest&) -> util::Result<util::HttpResponse> {
        return util::make_error("Connection refused");
    });
}

TEST(CredentialSources, EnvironmentWinsAndCarriesTheSessionToken) {
    ScratchDir home;
    home.write(".aws/credentials", "[default]\naws_access_key_id=FILE\naws_secret_access_key=f\n");
    auto http = no_imds();
    util::FakeClock clock;
    auto provider = resolve_credentials(env_of({{"HOME", home.path()},
                                                {"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                                {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                                                {"AWS_SESSION_TOKEN", "envtoken"}}),
                                        http, clock);
    ASSERT_TRUE(provider.ok()) << provider.error().message;
    auto credentials = (*provider)->credentials();
    ASSERT_TRUE(credentials.ok());
    EXPECT_EQ(credentials->access_key_id, "ENVKEY");
    EXPECT_EQ(credentials->secret_access_key, "envsecret");
    EXPECT_EQ(credentials->session_token, "envtoken");
    EXPECT_EQ(credentials->source, "environment");
    EXPECT_TRUE(http.requests().empty());
}

TEST(CredentialSources, HalfAnEnvironmentPairIsAnError) {
    auto only_id = credentials_from_environment(env_of({{"AWS_ACCESS_KEY_ID", "K"}}));
    EXPECT_TRUE(fails_mentioning(only_id, "AWS_SECRET_ACCESS_KEY is not"));
    auto only_secret = credentials_from_environment(env_of({{"AWS_SECRET_ACCESS_KEY", "S"}}));
    EXPECT_TRUE(fails_mentioning(only_secret, "AWS_ACCESS_KEY_ID is not"));
}

TEST(CredentialSources, ProfileFromTheCredentialsFile) {
    ScratchDir home;
    home.write(".aws/credentials",
               "[default]\naws_access_key_id = DEF\naws_secret_access_key = defsecret\n"
               "[render]\naws_access_key_id = REN\naws_secret_access_key = rensecret\n"
               "aws_session_token = rentoken\n");
    auto http = no_imds();
    util::FakeClock clock;
    auto by_env = resolve_credentials(env_of({{"HOME", home.path()}, {"AWS_PROFILE", "render"}}),
                                      http, clock);
    ASSERT_TRUE(by_env.ok()) << by_env.error().message;
    auto credentials = (*by_env)->credentials().value();
    EXPECT_EQ(credentials.access_key_id, "REN");
    EXPECT_EQ(credentials.session_token, "rentoken");
    EXPECT_NE(credentials.source.find("profile 'render'"), std::string::npos);

    auto by_default = resolve_credentials(env_of({{"HOME", home.path()}}), http, clock);
    ASSERT_TRUE(by_default.ok());
    EXPECT_EQ((*by_default)->credentials()->access_key_id, "DEF");

    auto by_flag = resolve_credentials(env_of({{"HOME", home.path()}, {"AWS_PROFILE", "nope"}}),
                                       http, clock, {.profile = "render"});
    ASSERT_TRUE(by_flag.ok());
    EXPECT_EQ((*by_flag)->credentials()->access_key_id, "REN");
}

TEST(CredentialSources, SharedCredentialsFileVariableAndConfigFileKeys) {
    ScratchDir dir;
    const auto file =
        dir.write("elsewhere/creds", "[ci]\naws_access_key_id=CI\naws_secret_access_key=c\n");
    const auto config = dir.write("cfg",
                                  "[profile cfgonly]\naws_access_key_id=CFG\n"
                                  "aws_secret_access_key=g\nregion=us-west-2\n");
    const auto env = env_of({{"HOME", dir.path() / "nohome"},
                             {"AWS_SHARED_CREDENTIALS_FILE", file},
                             {"AWS_CONFIG_FILE", config}});
    auto ci = credentials_from_shared_files(env, "ci");
    ASSERT_TRUE(ci.ok());
    ASSERT_TRUE(ci->has_value());
    EXPECT_EQ((*ci)->access_key_id, "CI");
    auto from_config = credentials_from_shared_files(env, "cfgonly");
    ASSERT_TRUE(from_config.ok());
    ASSERT_TRUE(from_config->has_value());
    EXPECT_EQ((*from_config)->access_key_id, "CFG");
    auto none = credentials_from_shared_files(env, "missing");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
}

TEST(CredentialSources, ClearErrorsForBadProfiles) {
    ScratchDir home;
    home.write(".aws/credentials",
               "[half]\naws_access_key_id = ONLY\n"
               "[sso]\nsso_session = corp\n");
    auto http = no_imds();
    util::FakeClock clock;
    auto half =
        resolve_credentials(env_of({{"HOME", home.path()}}), http, clock, {.profile = "half"});
    EXPECT_TRUE(fails_mentioning(half, "no aws_secret_access_key"));

    auto sso =
        resolve_credentials(env_of({{"HOME", home.path()}}), http, clock, {.profile = "sso"});
    EXPECT_TRUE(fails_mentioning(sso, "export-credentials --profile sso"));

    auto missing =
        resolve_credentials(env_of({{"HOME", home.path()}, {"AWS_PROFILE", "typo"}}), http, clock);
    EXPECT_TRUE(fails_mentioning(missing, "AWS profile 'typo' has no keys"));
    EXPECT_TRUE(http.requests().empty()) << "a named profile must not fall back to the role";

    home.write(".aws/credentials", "[default]\nthis line is broken\n");
    auto broken = resolve_credentials(env_of({{"HOME", home.path()}}), http, clock);
    EXPECT_TRUE(fails_mentioning(broken, "credentials line 2"));
}

TEST(CredentialSources, InstanceRoleWhenNothingElseAndRefreshBeforeExpiry) {
    ScratchDir home;
    int fetches = 0;
    util::FakeClock clock;  // wall time starts at 2027-01-15T08:00:00Z
    FakeHttpClient http([&](const util::HttpRequest& request) {
        return role_imds(request, "2027-01-15T09:00:00Z", &fetches);
    });
    auto provider = resolve_credentials(env_of({{"HOME", home.path()}}), http, clock,
                                        {.imds = {.base_url = "http://imds.test"}});
    ASSERT_TRUE(provider.ok()) << provider.error().message;
    auto credentials = (*provider)->credentials();
    ASSERT_TRUE(credentials.ok());
    EXPECT_EQ(credentials->access_key_id, "ASIAROLE");
    EXPECT_EQ(credentials->session_token, "roletoken");
    EXPECT_EQ(credentials->source, "instance role render-role");
    EXPECT_EQ(http.requests().front().url, "http://imds.test/latest/api/token");
    EXPECT_EQ(fetches, 1);  // the probe's answer is reused

    clock.advance(std::chrono::minutes(50));  // 10 minutes left: still cached
    ASSERT_TRUE((*provider)->credentials().ok());
    EXPECT_EQ(fetches, 1);
    clock.advance(std::chrono::minutes(6));  // 4 minutes left: fetched again
    ASSERT_TRUE((*provider)->credentials().ok());
    EXPECT_EQ(fetches, 2);
}

TEST(CredentialSources, NothingAnywhereNamesEverySource) {
    ScratchDir home;
    auto http = no_imds();
    util::FakeClock clock;
    auto none = resolve_credentials(env_of({{"HOME", home.path()}}), http, clock);
    for (auto text :
         {"AWS_ACCESS_KEY_ID", "[default] profile", "instance role", "Connection refused"})
        EXPECT_TRUE(fails_mentioning(none, text));
}

TEST(CredentialSources, InstanceWithoutRoleOrWithFailedRole) {
    FakeHttpClient no_role([](const util::HttpRequest& request) {
        return request.method == "PUT" ? http_response(200, "t") : http_response(404);
    });
    util::FakeClock clock;
    InstanceRoleCredentialsProvider provider(no_role, clock);
    auto result = provider.credentials();
    EXPECT_TRUE(fails_mentioning(result, "no instance role"));

    FakeHttpClient failing([](const util::HttpRequest& request) {
        if (request.method == "PUT") return http_response(200, "t");
        if (request.url.ends_with("/")) return http_response(200, "r");
        return http_response(200, R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"denied"})");
    });
    InstanceRoleCredentialsProvider denied(failing, clock);
    result = denied.credentials();
    EXPECT_TRUE(fails_mentioning(result, "AssumeRoleUnauthorizedAccess denied"));
}

TEST(Region, FlagThenEnvironmentThenConfig) {
    ScratchDir home;
    home.write(".aws/config",
               "[default]\nregion = eu-central-1\n"
               "[profile render]\nregion = ap-south-1\n");
    const std::string h = home.path();
    EXPECT_EQ(
        resolve_region(env_of({{"HOME", h}, {"AWS_REGION", "us-east-2"}}), "eu-west-3").value(),
        "eu-west-3");
    EXPECT_EQ(
        resolve_region(
            env_of({{"HOME", h}, {"AWS_REGION", "us-east-2"}, {"AWS_DEFAULT_REGION", "us-west-1"}}),
            std::nullopt)
            .value(),
        "us-east-2");
    EXPECT_EQ(
        resolve_region(env_of({{"HOME", h}, {"AWS_DEFAULT_REGION", "us-west-1"}}), {}).value(),
        "us-west-1");
    EXPECT_EQ(resolve_region(env_of({{"HOME", h}}), {}).value(), "eu-central-1");
    EXPECT_EQ(resolve_region(env_of({{"HOME", h}, {"AWS_PROFILE", "render"}}), {}).value(),
              "ap-south-1");
    EXPECT_EQ(resolve_region(env_of({{"HOME", h}}), {}, "render").value(), "ap-south-1");
}

TEST(Region, MissingOrMalformed) {
    ScratchDir home;
    auto missing = resolve_region(env_of({{"HOME", home.path()}}), {});
    EXPECT_TRUE(fails_mentioning(missing, "--region"));
    EXPECT_TRUE(fails_mentioning(missing, "AWS_REGION"));
    auto bad = resolve_region(env_of({{"HOME", home.path()}}), "eu-west-1.evil.com/");
    EXPECT_TRUE(fails_mentioning(bad, "from --region"));
    EXPECT_TRUE(is_valid_region_name("us-gov-west-1"));
    EXPECT_FALSE(is_valid_region_name("EU-WEST-1"));
}

}  // namespace
}  // namespace spotfarm::providers::aws
