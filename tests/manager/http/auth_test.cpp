#include "manager/http/auth.h"

#include <cstdlib>
#include <fstream>

#include <sys/stat.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace spotfarm::manager::http {
namespace {

namespace fs = std::filesystem;

class TokenFiles : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "spotfarm-auth-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_root = pattern;
        m_state = m_root / "state";
    }
    void TearDown() override { fs::remove_all(m_root); }

    static unsigned mode_of(const fs::path& path) {
        struct stat info {};
        EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
        return info.st_mode & 0777;
    }

    fs::path m_root;
    fs::path m_state;
};

TEST_F(TokenFiles, FirstStartWritesTwoPrivateRandomTokens) {
    bool created = false;
    auto tokens = load_or_create_tokens(m_state, &created);
    ASSERT_TRUE(tokens) << tokens.error().message;
    EXPECT_TRUE(created);
    EXPECT_EQ(tokens->person.size(), 64u);
    EXPECT_EQ(tokens->worker_join.size(), 64u);
    EXPECT_NE(tokens->person, tokens->worker_join);
    EXPECT_EQ(mode_of(people_token_path(m_state)), 0600u);
    EXPECT_EQ(mode_of(worker_join_token_path(m_state)), 0600u);
    EXPECT_EQ(mode_of(m_state), 0700u);
    std::ifstream in(people_token_path(m_state));
    std::string on_disk;
    in >> on_disk;
    EXPECT_EQ(on_disk, tokens->person);
}

TEST_F(TokenFiles, LaterStartsReuseThem) {
    auto first = load_or_create_tokens(m_state).value();
    bool created = true;
    auto second = load_or_create_tokens(m_state, &created);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_FALSE(created);
    EXPECT_EQ(second->person, first.person);
    EXPECT_EQ(second->worker_join, first.worker_join);
}

TEST_F(TokenFiles, DeletingOneFileReplacesOnlyThatToken) {
    auto first = load_or_create_tokens(m_state).value();
    fs::remove(worker_join_token_path(m_state));
    auto second = load_or_create_tokens(m_state).value();
    EXPECT_EQ(second.person, first.person);
    EXPECT_NE(second.worker_join, first.worker_join);
}

TEST_F(TokenFiles, OpenModeIsTightenedOnLoad) {
    (void)load_or_create_tokens(m_state).value();
    fs::permissions(people_token_path(m_state), fs::perms::owner_read | fs::perms::others_read);
    ASSERT_TRUE(load_or_create_tokens(m_state));
    EXPECT_EQ(mode_of(people_token_path(m_state)), 0600u);
}

TEST_F(TokenFiles, UnusableFileIsAnErrorThatSaysWhatToDo) {
    fs::create_directories(m_state);
    std::ofstream(people_token_path(m_state)) << "\n";
    auto tokens = load_or_create_tokens(m_state);
    ASSERT_FALSE(tokens);
    EXPECT_NE(tokens.error().message.find("delete it"), std::string::npos)
        << tokens.error().message;
}

TEST_F(TokenFiles, InstructionsNameTheFilesButNotTheTokens) {
    auto tokens = load_or_create_tokens(m_state).value();
    std::string text = token_instructions(m_state, "http://127.0.0.1:8420");
    EXPECT_NE(text.find(people_token_path(m_state).string()), std::string::npos);
    EXPECT_NE(text.find(worker_join_token_path(m_state).string()), std::string::npos);
    EXPECT_NE(text.find("Authorization: Bearer"), std::string::npos);
    EXPECT_EQ(text.find(tokens.person), std::string::npos);
    EXPECT_EQ(text.find(tokens.worker_join), std::string::npos);
}

TEST_F(TokenFiles, HintNamesBothFilesButNotTheStateFolder) {
    std::string hint = token_hint();
    EXPECT_NE(hint.find(people_token_path(m_state).filename().string()), std::string::npos);
    EXPECT_NE(hint.find(worker_join_token_path(m_state).filename().string()), std::string::npos);
    EXPECT_EQ(hint.find(m_state.string()), std::string::npos) << hint;
    EXPECT_EQ(hint.find('/'), std::string::npos) << hint;
}

class AuthenticatorTest : public ::testing::Test {
protected:
    AuthenticatorTest() : m_auth(Tokens{"P-token-0123456789", "J-token-0123456789"}, "HINT") {
        m_auth.set_worker_lookup([](std::string_view token) -> std::optional<std::string> {
            if (token == "secret-of-w7") return "w7";
            return std::nullopt;
        });
    }

    std::variant<Identity, Response> check(std::optional<std::string_view> header,
                                           const Access& access, Fields params = {}) {
        return m_auth.authenticate(header, access, params);
    }
    static int status(const std::variant<Identity, Response>& result) {
        auto* response = std::get_if<Response>(&result);
        return response ? response->status : 200;
    }
    static nlohmann::json body(const std::variant<Identity, Response>& result) {
        return nlohmann::json::parse(std::get<Response>(result).body);
    }

    Authenticator m_auth;
};

TEST_F(AuthenticatorTest, OpenRoutesNeedNoToken) {
    auto result = check(std::nullopt, Access::open());
    ASSERT_EQ(status(result), 200);
    EXPECT_EQ(std::get<Identity>(result).principal, Principal::anonymous);
}

TEST_F(AuthenticatorTest, MissingTokenIs401SayingHowToGetOne) {
    auto result = check(std::nullopt, Access::people());
    ASSERT_EQ(status(result), 401);
    EXPECT_EQ(body(result)["code"], "missing_token");
    std::string message = body(result)["error"];
    EXPECT_NE(message.find("Authorization: Bearer"), std::string::npos) << message;
    EXPECT_NE(message.find("HINT"), std::string::npos) << message;
    EXPECT_EQ(std::get<Response>(result).headers.at(0).first, "WWW-Authenticate");
}

TEST_F(AuthenticatorTest, WrongTokenOrSchemeIs401) {
    EXPECT_EQ(status(check("Bearer P-token-0123456780", Access::people())), 401);
    EXPECT_EQ(status(check("Bearer P-token-012345678", Access::people())), 401);
    EXPECT_EQ(status(check("Bearer ", Access::people())), 401);
    EXPECT_EQ(status(check("Basic P-token-0123456789", Access::people())), 401);
    EXPECT_EQ(body(check("Bearer nope", Access::people()))["code"], "invalid_token");
}

TEST_F(AuthenticatorTest, EachTokenProvesItsPrincipal) {
    auto person = check("Bearer P-token-0123456789", Access::people());
    ASSERT_EQ(status(person), 200);
    EXPECT_EQ(std::get<Identity>(person).principal, Principal::person);
    auto lower_case_scheme = check("bearer P-token-0123456789", Access::people());
    EXPECT_EQ(status(lower_case_scheme), 200);
    auto join = check("Bearer J-token-0123456789", Access::joining());
    ASSERT_EQ(status(join), 200);
    EXPECT_EQ(std::get<Identity>(join).principal, Principal::worker_join);
    auto worker = check("Bearer secret-of-w7", Access::any_worker());
    ASSERT_EQ(status(worker), 200);
    EXPECT_EQ(std::get<Identity>(worker).principal, Principal::worker);
    EXPECT_EQ(std::get<Identity>(worker).worker_id, "w7");
}

TEST_F(AuthenticatorTest, KnownTokenOnTheWrongRouteIs403) {
    auto join_on_jobs = check("Bearer J-token-0123456789", Access::people());
    ASSERT_EQ(status(join_on_jobs), 403);
    EXPECT_EQ(body(join_on_jobs)["code"], "forbidden");
    EXPECT_EQ(status(check("Bearer secret-of-w7", Access::people())), 403);
    EXPECT_EQ(status(check("Bearer P-token-0123456789", Access::any_worker())), 403);
}

TEST_F(AuthenticatorTest, WorkerMayOnlyActAsItself) {
    EXPECT_EQ(status(check("Bearer secret-of-w7", Access::own_worker(), {{"id", "w7"}})), 200);
    auto other = check("Bearer secret-of-w7", Access::own_worker(), {{"id", "w8"}});
    ASSERT_EQ(status(other), 403);
    EXPECT_NE(body(other)["error"].get<std::string>().find("w8"), std::string::npos);
}

TEST_F(AuthenticatorTest, WithoutALookupWorkerSecretsAreUnknown) {
    Authenticator bare(Tokens{"P-token-0123456789", "J-token-0123456789"}, "HINT");
    EXPECT_EQ(status(bare.authenticate("Bearer secret-of-w7", Access::any_worker(), {})), 401);
}

}  // namespace
}  // namespace spotfarm::manager::http
