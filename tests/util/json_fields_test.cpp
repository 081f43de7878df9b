#include "util/json_fields.h"

#include <gtest/gtest.h>

namespace spotfarm::util {

TEST(ParseJsonText, ReadsJsonAndSaysWhereTextIsNot) {
    auto ok = parse_json_text(R"({"a": 1})", "config");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ((*ok)["a"], 1);
    // "1e999" overflows a double: nlohmann's out_of_range, not a parse_error.
    for (const char* text : {"{\"a\": ", "1e999", "[-1e400]"}) {
        auto bad = parse_json_text(text, "config");
        ASSERT_FALSE(bad) << text;
        EXPECT_NE(bad.error().message.find("config: not valid JSON"), std::string::npos);
    }
}

}  // namespace spotfarm::util
