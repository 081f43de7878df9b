#include "manager/http/request.h"

#include <gtest/gtest.h>

namespace spotfarm::manager::http {
namespace {

using namespace std::chrono_literals;

Request with_query(std::string_view query) {
    Request request;
    request.query = util::parse_query(query);
    return request;
}

TEST(RequestQuery, FirstValueOfAName) {
    EXPECT_EQ(with_query("wait=30&wait=5").query_value("wait"), "30");
    EXPECT_EQ(with_query("flag").query_value("flag"), "");
    EXPECT_FALSE(with_query("a=1").query_value("b"));
}

TEST(RequestHeader, IsFoundWhateverTheCase) {
    Request request;
    request.headers = {{"Content-Type", "application/json"}};
    EXPECT_EQ(request.header("content-type"), "application/json");
    EXPECT_FALSE(request.header("Accept"));
}

TEST(LongPollWait, ReadsSecondsAndCapsThem) {
    EXPECT_EQ(long_poll_wait(with_query(""), 60s).value(), 0ms);
    EXPECT_EQ(long_poll_wait(with_query("wait=30"), 60s).value(), 30s);
    EXPECT_EQ(long_poll_wait(with_query("wait=0.25"), 60s).value(), 250ms);
    EXPECT_EQ(long_poll_wait(with_query("wait=3600"), 60s).value(), 60s);
    EXPECT_EQ(long_poll_wait(with_query("wait=1e300"), 60s).value(), 60s);
}

TEST(LongPollWait, RejectsWhatIsNotANonNegativeNumber) {
    for (std::string_view bad : {"wait=soon", "wait=-1", "wait=5s", "wait=nan", "wait=inf"}) {
        auto wait = long_poll_wait(with_query(bad), 60s);
        ASSERT_FALSE(wait) << bad;
        EXPECT_NE(wait.error().message.find("wait=30"), std::string::npos) << wait.error().message;
    }
}

}  // namespace
}  // namespace spotfarm::manager::http
