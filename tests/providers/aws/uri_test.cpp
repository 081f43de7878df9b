#include "providers/aws/uri.h"

#include <gtest/gtest.h>

namespace spotfarm::providers::aws {
namespace {

TEST(Uri, EncodesAllButUnreserved) {
    EXPECT_EQ(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
    EXPECT_EQ(uri_encode("a b+c/d=e&"), "a%20b%2Bc%2Fd%3De%26");
    EXPECT_EQ(uri_encode("/a b/", true), "/a%20b/");
    EXPECT_EQ(uri_encode("\xe1\x88\xb4"), "%E1%88%B4");
}

TEST(Uri, DecodesAndKeepsMalformedEscapes) {
    EXPECT_EQ(uri_decode("%E1%88%B4%2f"), "\xe1\x88\xb4/");
    EXPECT_EQ(uri_decode("100%"), "100%");
    EXPECT_EQ(uri_decode("%zz%4"), "%zz%4");
}

TEST(Uri, FormRoundTrip) {
    const QueryParams params = {{"Action", "RunInstances"}, {"UserData", "ab+/=="}, {"Empty", ""}};
    const std::string body = form_encode(params);
    EXPECT_EQ(body, "Action=RunInstances&UserData=ab%2B%2F%3D%3D&Empty=");
    EXPECT_EQ(form_decode(body), params);
    EXPECT_EQ(form_decode("a=x+y&&b")[0].second, "x y");
    EXPECT_EQ(form_decode("a=x+y", false)[0].second, "x+y");
    EXPECT_EQ(form_decode("a=x+y&&b")[1], (std::pair<std::string, std::string>{"b", ""}));
}

TEST(Uri, ParsesEndpoints) {
    auto aws = parse_url("https://ec2.eu-west-1.amazonaws.com/");
    ASSERT_TRUE(aws.ok());
    EXPECT_EQ(aws->host, "ec2.eu-west-1.amazonaws.com");
    EXPECT_EQ(aws->port, 443);
    EXPECT_EQ(aws->path, "/");
    EXPECT_EQ(aws->host_header(), "ec2.eu-west-1.amazonaws.com");

    auto local = parse_url("http://127.0.0.1:8123/x/y?a=1");
    ASSERT_TRUE(local.ok());
    EXPECT_EQ(local->port, 8123);
    EXPECT_EQ(local->path, "/x/y");
    EXPECT_EQ(local->query, "a=1");
    EXPECT_EQ(local->host_header(), "127.0.0.1:8123");
    EXPECT_EQ(parse_url("http://host")->path, "/");
}

TEST(Uri, RejectsBadEndpoints) {
    for (const char* bad : {"ec2.amazonaws.com", "ftp://x/", "http://", "http://h:0/",
                            "http://h:99999/", "http://u@h/", "http://h:12x/"}) {
        const auto url = parse_url(bad);
        EXPECT_FALSE(url.ok()) << bad;
    }
}

}  // namespace
}  // namespace spotfarm::providers::aws
