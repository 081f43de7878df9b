#include "util/imds_client.h"

#include <gtest/gtest.h>

#include "support/fake_http_client.h"

namespace spotfarm::util {
namespace {

using spotfarm::testing::FakeHttpClient;
using spotfarm::testing::header_value;
using spotfarm::testing::http_response;

TEST(ImdsClient, TakesATokenThenSendsItWithEachGet) {
    FakeHttpClient http([](const HttpRequest& request) -> Result<HttpResponse> {
        if (request.method == "PUT") return http_response(200, "token-1");
        if (request.url.ends_with("/latest/meta-data/instance-id"))
            return http_response(200, "i-0abc");
        return http_response(404);
    });
    ImdsClient imds(http, {.base_url = "http://127.0.0.1:9/"});
    auto id = imds.get("/latest/meta-data/instance-id");
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(id->value_or(""), "i-0abc");
    auto missing = imds.get("/latest/meta-data/spot/instance-action");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());

    const auto requests = http.requests();
    ASSERT_EQ(requests.size(), 3u);  // one token for both GETs
    EXPECT_EQ(requests[0].method, "PUT");
    EXPECT_EQ(requests[0].url, "http://127.0.0.1:9/latest/api/token");
    EXPECT_EQ(header_value(requests[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
    EXPECT_EQ(requests[1].url, "http://127.0.0.1:9/latest/meta-data/instance-id");
    EXPECT_EQ(header_value(requests[1], "X-aws-ec2-metadata-token"), "token-1");
    EXPECT_EQ(header_value(requests[2], "X-aws-ec2-metadata-token"), "token-1");
}

TEST(ImdsClient, RefreshesTheTokenOnceOn401) {
    int tokens = 0;
    FakeHttpClient http([&](const HttpRequest& request) -> Result<HttpResponse> {
        if (request.method == "PUT") return http_response(200, "token-" + std::to_string(++tokens));
        if (spotfarm::testing::header_value(request, "X-aws-ec2-metadata-token") != "token-2")
            return http_response(401);
        return http_response(200, "ok");
    });
    ImdsClient imds(http);
    auto value = imds.get("/latest/meta-data/ami-id");
    ASSERT_TRUE(value.ok()) << value.error().message;
    EXPECT_EQ(value->value_or(""), "ok");
    EXPECT_EQ(tokens, 2);
}

TEST(ImdsClient, ExplainsWhenNothingAnswers) {
    FakeHttpClient http([](const HttpRequest&) -> Result<HttpResponse> {
        return make_error("connection refused");
    });
    ImdsClient imds(http);
    auto value = imds.get("/latest/meta-data/ami-id");
    ASSERT_FALSE(value.ok());
    EXPECT_NE(value.error().message.find("EC2 instance"), std::string::npos);
    EXPECT_NE(value.error().message.find("connection refused"), std::string::npos);
}

TEST(ImdsClient, ReportsATokenRefusalAndOtherStatuses) {
    FakeHttpClient refused(
        [](const HttpRequest&) -> Result<HttpResponse> { return http_response(403); });
    auto no_token = ImdsClient(refused).get("/latest/meta-data/ami-id");
    ASSERT_FALSE(no_token.ok());
    EXPECT_NE(no_token.error().message.find("403"), std::string::npos);

    FakeHttpClient broken([](const HttpRequest& request) -> Result<HttpResponse> {
        return request.method == "PUT" ? http_response(200, "t") : http_response(500);
    });
    auto failed = ImdsClient(broken).get("/latest/meta-data/ami-id");
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(failed.error().message.find("500"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::util
