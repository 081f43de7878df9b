#include "util/percent_encoding.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

using Field = std::pair<std::string, std::string>;

TEST(PercentEncode, EncodesAllButUnreserved) {
    EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
    EXPECT_EQ(percent_encode("a b+c/d=e&"), "a%20b%2Bc%2Fd%3De%26");
    EXPECT_EQ(percent_encode("/a b/", true), "/a%20b/");
    EXPECT_EQ(percent_encode("\xe1\x88\xb4"), "%E1%88%B4");
}

TEST(PercentDecode, DecodesEitherCase) {
    EXPECT_EQ(percent_decode("%41%2f%2F"), "A//");
    EXPECT_EQ(percent_decode("%E1%88%B4%2f"), "\xe1\x88\xb4/");
    EXPECT_EQ(percent_decode("%00", false), std::string("\0", 1));
}

TEST(PercentDecode, KeepsMalformedEscapes) {
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(percent_decode("%4g%"), "%4g%");
}

TEST(PercentDecode, PlusIsASpaceOnlyWhenAsked) {
    EXPECT_EQ(percent_decode("a+b"), "a+b");
    EXPECT_EQ(percent_decode("a+b", true), "a b");
    EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");  // an encoded plus stays a plus
}

TEST(PercentDecode, ReadsBackWhatPercentEncodeWrites) {
    std::string all;
    for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
    EXPECT_EQ(percent_decode(percent_encode(all)), all);
    EXPECT_EQ(percent_decode(percent_encode(all), true), all);
}

TEST(ParseQuery, DecodesNamesAndValuesInOrder) {
    const QueryFields fields = parse_query("wait=30&name=a%20b+c&flag&&empty=&wait=5");
    ASSERT_EQ(fields.size(), 5u);
    EXPECT_EQ(fields[0], (Field{"wait", "30"}));
    EXPECT_EQ(fields[1], (Field{"name", "a b c"}));
    EXPECT_EQ(fields[2], (Field{"flag", ""}));
    EXPECT_EQ(fields[3], (Field{"empty", ""}));
    EXPECT_EQ(fields[4], (Field{"wait", "5"}));
    EXPECT_TRUE(parse_query("").empty());
    EXPECT_EQ(parse_query("a=b=c")[0], (Field{"a", "b=c"}));
}

TEST(ParseQuery, KeepsPlusWhenTold) {
    EXPECT_EQ(parse_query("a+b=x+y", false)[0], (Field{"a+b", "x+y"}));
    EXPECT_EQ(parse_query("a+b=x+y")[0], (Field{"a b", "x y"}));
}

TEST(EncodeQuery, RoundTripsThroughParseQuery) {
    const QueryFields fields = {{"Action", "RunInstances"}, {"UserData", "ab+/=="}, {"Empty", ""}};
    const std::string body = encode_query(fields);
    EXPECT_EQ(body, "Action=RunInstances&UserData=ab%2B%2F%3D%3D&Empty=");
    EXPECT_EQ(parse_query(body), fields);
    EXPECT_EQ(encode_query({}), "");
}

}  // namespace
}  // namespace spotfarm::util
