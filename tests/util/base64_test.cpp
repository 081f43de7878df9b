#include "util/base64.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

TEST(Base64, Rfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, HasNoLineBreaks) {
    EXPECT_EQ(base64_encode(std::string(100, 'x')).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::util
