#include "manager/http/request_json.h"

#include <gtest/gtest.h>

#include <string>

namespace spotfarm::manager::http {
namespace {

std::string nested(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

TEST(JsonDepth, CountsArraysAndObjects) {
    EXPECT_EQ(json_depth("1", 64), 0u);
    EXPECT_EQ(json_depth("{}", 64), 1u);
    EXPECT_EQ(json_depth(R"({"a":[{"b":[]}],"c":{}})", 64), 4u);
    EXPECT_EQ(json_depth(nested(64), 64), 64u);
}

TEST(JsonDepth, IgnoresBracketsInsideStrings) {
    EXPECT_EQ(json_depth(R"({"a":"[[[[{{{{","b":"\"[[["})", 2), 1u);
}

TEST(JsonDepth, StopsCountingPastTheLimit) {
    EXPECT_EQ(json_depth(nested(100'000), 10), 11u);
}

TEST(ParseRequestJson, RefusesBodiesNestedTooDeeply) {
    auto deep = parse_request_json(R"({"scene":"/s.blend","x":)" + nested(60'000) + "}");
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(deep.error().message.find("nested too deeply"), std::string::npos);
    EXPECT_FALSE(parse_request_json(nested(k_max_json_depth + 1)));
}

TEST(ParseRequestJson, ReadsBodiesWithinTheLimit) {
    auto ok = parse_request_json(nested(k_max_json_depth));
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_TRUE(ok->is_array());
    auto blank = parse_request_json(" \r\n");
    ASSERT_TRUE(blank);
    EXPECT_EQ(*blank, nlohmann::json::object());
}

TEST(ParseRequestJson, RefusesMalformedJson) {
    auto bad = parse_request_json("{\"a\":");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::manager::http
