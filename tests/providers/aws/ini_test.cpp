#include "providers/aws/ini.h"

#include <gtest/gtest.h>

namespace spotfarm::providers::aws {
namespace {

TEST(Ini, ReadsSectionsKeysAndSkipsCommentsAndNestedSettings) {
    const auto file = parse_ini(
        "# comment\n"
        "[default]\n"
        "aws_access_key_id = AKIDEXAMPLE\n"
        "aws_secret_access_key=secret/with=equals\n"
        "; another comment\n"
        "\n"
        "[profile render]\r\n"
        "region = eu-west-1\r\n"
        "s3 =\n"
        "  max_concurrent_requests = 20\n",
        "test");
    ASSERT_TRUE(file.ok()) << file.error().message;
    EXPECT_EQ(file->at("default").at("aws_access_key_id"), "AKIDEXAMPLE");
    EXPECT_EQ(file->at("default").at("aws_secret_access_key"), "secret/with=equals");
    EXPECT_EQ(file->at("profile render").at("region"), "eu-west-1");
    EXPECT_EQ(file->at("profile render").at("s3"), "");
    EXPECT_EQ(file->at("profile render").count("max_concurrent_requests"), 0u);
}

TEST(Ini, NamesTheFileAndLineOfAnError) {
    for (const char* text : {"key = value\n", "[default\n", "[default]\njust words\n",
                             "[default]\n= value\n", "  indented = before section\n"}) {
        const auto file = parse_ini(text, "/home/u/.aws/credentials");
        ASSERT_FALSE(file.ok()) << text;
        EXPECT_NE(file.error().message.find("/home/u/.aws/credentials line"), std::string::npos)
            << file.error().message;
    }
}

}  // namespace
}  // namespace spotfarm::providers::aws
