#include "providers/aws/uri.h"

#include <gtest/gtest.h>

namespace spotfarm::providers::aws {
namespace {

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
