// The server over TLS: a real HTTPS server on 127.0.0.1 with a self-signed certificate made for
// the test, and real libcurl clients that trust it by its pin, or do not.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "manager/http/server.h"
#include "support/http_test_server.h"
#include "support/scratch_dir.h"
#include "util/tls_identity.h"

namespace spotfarm::manager::http {
namespace {

using testing::k_people_token;

void add_echo(Router& router, HttpServer&) {
    router.add("POST", "/api/v1/echo", Access::people(), [](Request& request) -> Reply {
        return Response::json({{"body", request.body}});
    });
}

util::TlsIdentity identity() {
    auto made = util::make_tls_identity("spotfarm-test-manager");
    EXPECT_TRUE(made) << made.error().message;
    return made ? *made : util::TlsIdentity{};
}

class TlsServerTest : public ::testing::Test {
protected:
    TlsServerTest() : m_identity(identity()), m_server(add_echo, tls_config()) {}

    ServerConfig tls_config() {
        EXPECT_TRUE(util::save_tls_identity(m_identity, m_dir.path()));
        ServerConfig config = testing::HttpTestServer::fast_config();
        config.tls_cert_file = (m_dir / "manager-cert.pem").string();
        config.tls_key_file = (m_dir / "manager-key.pem").string();
        return config;
    }

    util::Result<util::HttpResponse> post(util::CurlHttpClient& client, std::string body) {
        util::HttpRequest request;
        request.method = "POST";
        request.url = m_server.server().url() + "/api/v1/echo";
        request.headers = {{"Authorization", "Bearer " + std::string(k_people_token)}};
        request.body = std::move(body);
        return client.send(request);
    }

    test::ScratchDir m_dir;
    util::TlsIdentity m_identity;
    testing::HttpTestServer m_server;
};

TEST_F(TlsServerTest, ServesHttpsToTheClientThatHoldsItsPin) {
    EXPECT_TRUE(m_server.server().url().starts_with("https://127.0.0.1:"));
    util::CurlHttpClient client(util::TlsTrust{m_identity.pin});
    for (std::string body : {"one", "two"}) {  // the second on the kept-alive connection
        auto response = post(client, body);
        ASSERT_TRUE(response) << response.error().message;
        EXPECT_EQ(response->status, 200) << response->body;
        EXPECT_EQ(nlohmann::json::parse(response->body)["body"], body);
    }
}

TEST_F(TlsServerTest, RefusesAServerWhoseKeyIsNotThePinnedOne) {
    util::CurlHttpClient client(util::TlsTrust{identity().pin});
    auto response = post(client, "secret");
    ASSERT_FALSE(response);
    EXPECT_NE(response.error().message.find("not the one this client was told to trust"),
              std::string::npos)
        << response.error().message;
    EXPECT_EQ(response.error().kind, util::ErrorKind::unavailable);
}

TEST_F(TlsServerTest, WithoutAPinASelfSignedCertificateIsNotTrusted) {
    util::CurlHttpClient client;
    auto response = post(client, "secret");
    ASSERT_FALSE(response);
    EXPECT_NE(response.error().message.find("--manager-pin"), std::string::npos)
        << response.error().message;
}

TEST_F(TlsServerTest, PlainHttpToTheTlsPortGetsNoAnswer) {
    util::CurlHttpClient client;
    util::HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(m_server.port()) + "/healthz";
    auto response = client.send(request);
    EXPECT_FALSE(response && response->status == 200);
}

TEST(TlsServerConfig, ACertificateWithoutItsKeyIsRefusedWithAMessage) {
    test::ScratchDir dir;
    auto made = util::make_tls_identity("x");
    ASSERT_TRUE(made);
    ASSERT_TRUE(util::save_tls_identity(*made, dir.path()));
    Router router;
    Authenticator auth(Tokens{"p", "j"}, "hint");
    ServerConfig config;
    config.tls_cert_file = (dir / "manager-cert.pem").string();
    HttpServer server(config, router, auth);
    auto listening = server.listen();
    ASSERT_FALSE(listening);
    EXPECT_NE(listening.error().message.find("--tls-key"), std::string::npos);

    config.tls_key_file = (dir / "manager-cert.pem").string();  // a certificate, not a key
    HttpServer wrong_key(config, router, auth);
    auto refused = wrong_key.listen();
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("private key"), std::string::npos)
        << refused.error().message;
}

}  // namespace
}  // namespace spotfarm::manager::http
