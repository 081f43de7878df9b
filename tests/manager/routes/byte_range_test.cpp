#include "manager/routes/byte_range.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "manager/disk_full.h"
#include "manager/routes/route_helpers.h"

namespace spotfarm::manager::routes {
namespace {

TEST(AskRange, ReadsTheThreeFormsOfOneRange) {
    RangeAsk a = ask_range("bytes=10-19", 100);
    EXPECT_TRUE(a.partial && a.satisfiable);
    EXPECT_EQ(a.from, 10);
    EXPECT_EQ(a.length, 10);
    RangeAsk open_end = ask_range("bytes=90-", 100);
    EXPECT_EQ(open_end.from, 90);
    EXPECT_EQ(open_end.length, 10);
    RangeAsk suffix = ask_range("bytes=-30", 100);
    EXPECT_EQ(suffix.from, 70);
    EXPECT_EQ(suffix.length, 30);
    RangeAsk beyond = ask_range("bytes=50-500", 100);
    EXPECT_EQ(beyond.length, 50);
}

TEST(AskRange, PastTheEndIsUnsatisfiable) {
    EXPECT_FALSE(ask_range("bytes=100-", 100).satisfiable);
    EXPECT_FALSE(ask_range("bytes=0-", 0).satisfiable);
    http::Response refusal = ranged_answer(ask_range("bytes=200-300", 100), 100, {});
    EXPECT_EQ(refusal.status, 416);
}

TEST(AskRange, AnythingElseIsTheWholeFile) {
    for (const char* header : {"items=1-2", "bytes=5-1", "bytes=1-2,4-5", "bytes=x-", "bytes="}) {
        RangeAsk a = ask_range(header, 100);
        EXPECT_FALSE(a.partial) << header;
        EXPECT_EQ(a.length, 100) << header;
    }
    EXPECT_FALSE(ask_range(std::nullopt, 100).partial);
}

TEST(RangedAnswer, NamesTheBytesItCarries) {
    http::Response answer = ranged_answer(ask_range("bytes=10-12", 100), 100, "abc");
    EXPECT_EQ(answer.status, 206);
    bool found = false;
    for (const auto& [name, value] : answer.headers) {
        if (name == "Content-Range") found = value == "bytes 10-12/100";
    }
    EXPECT_TRUE(found);
}

TEST(ErrorAnswer, AFullDiskIs507DiskFull) {
    http::Response full = error_answer(disk_full_error("/state/blobs/partial", ENOSPC));
    EXPECT_EQ(full.status, 507);
    EXPECT_NE(full.body.find("disk_full"), std::string::npos);
    EXPECT_NE(full.body.find("/state/blobs/partial"), std::string::npos);
    http::Response quota = error_answer(
        util::make_error("cannot write /x: Disk quota exceeded", util::ErrorKind::storage));
    EXPECT_EQ(quota.status, 507);
    EXPECT_EQ(error_answer(util::make_error("locked", util::ErrorKind::storage)).status, 503);
}

}  // namespace
}  // namespace spotfarm::manager::routes
