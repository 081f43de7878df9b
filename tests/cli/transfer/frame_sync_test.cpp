#include "cli/transfer/frame_sync.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/transfer/fake_frame_store.h"
#include "cli/transfer/sync_run.h"
#include "support/expect_error.h"
#include "support/scratch_dir.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using testing::FakeFrameStore;
using testing::FakeHttpClient;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class FrameSyncTest : public ::testing::Test {
protected:
    FrameSyncTest() {
        store.add(1, "shot_0001.png", std::string(3000, 'a'));
        store.add(2, "shot_0002.png", std::string(4000, 'b'));
        store.add(3, "sub/shot_0003.png", std::string(10, 'c'));
    }

    std::vector<util::HttpRequest> frame_gets() const {
        std::vector<util::HttpRequest> out;
        for (const auto& r : http.requests())
            if (r.url.find("/frames/") != std::string::npos) out.push_back(r);
        return out;
    }

    test::ScratchDir dir;
    FakeFrameStore store;
    FakeHttpClient http{[this](const util::HttpRequest& r) { return store.handle(r); }};
    ApiClient api{http, ClientConfig{"http://farm:8420", "people", "--manager", "--token"}};
};

TEST_F(FrameSyncTest, DownloadsWhatTheFolderLacksAndLeavesTheRest) {
    dir.write("out/shot_0001.png", std::string(3000, 'a'));  // already there
    dir.write("out/shot_0002.png", std::string(4000, 'x'));  // same size, other bytes
    FrameSync sync(api, {.dir = dir / "out", .jobs = 2});
    auto round = sync.sync(7);
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(round->present, 1u);
    ASSERT_EQ(round->downloaded.size(), 2u);
    EXPECT_EQ(round->downloaded[0].frame, 2);
    EXPECT_EQ(round->downloaded[1].frame, 3);
    EXPECT_TRUE(round->failed.empty());
    EXPECT_EQ(round->bytes, 4010);
    EXPECT_EQ(read_all(dir / "out/shot_0002.png"), std::string(4000, 'b'));
    EXPECT_EQ(read_all(dir / "out/sub/shot_0003.png"), std::string(10, 'c'));
    EXPECT_FALSE(fs::exists(dir / "out/shot_0002.png.part"));
    for (const auto& r : frame_gets()) {
        EXPECT_EQ(testing::header_value(r, "Authorization"), "Bearer people");
        EXPECT_EQ(r.url.find("http://farm:8420/api/v1/jobs/7/frames/"), 0u);
    }
    // A second pass finds everything in place and downloads nothing.
    const auto gets = frame_gets().size();
    auto again = sync.sync(7);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->present, 3u);
    EXPECT_TRUE(again->downloaded.empty());
    EXPECT_EQ(frame_gets().size(), gets);
}

TEST_F(FrameSyncTest, AFailedFrameIsReportedAndTheOthersArrive) {
    store.broken = {2};
    FrameSync sync(api, {.dir = dir / "out", .jobs = 3});
    auto round = sync.sync(7);
    ASSERT_TRUE(round.ok()) << round.error().message;
    ASSERT_EQ(round->failed.size(), 1u);
    EXPECT_EQ(round->failed[0].frame.frame, 2);
    EXPECT_NE(round->failed[0].error.find("disk read failed"), std::string::npos);
    EXPECT_EQ(round->downloaded.size(), 2u);
}

TEST_F(FrameSyncTest, ResumesAPartialDownload) {
    dir.write("out/shot_0002.png.part", std::string(1500, 'b'));
    FrameSync sync(api, {.dir = dir / "out", .jobs = 1});
    auto round = sync.sync(7);
    ASSERT_TRUE(round.ok()) << round.error().message;
    EXPECT_EQ(read_all(dir / "out/shot_0002.png"), std::string(4000, 'b'));
    bool resumed = false;
    for (const auto& r : frame_gets()) {
        if (r.url.ends_with("/frames/2")) {
            resumed = testing::header_value(r, "Range").starts_with("bytes=1500-");
        }
    }
    EXPECT_TRUE(resumed);
    EXPECT_EQ(round->bytes, 3000 + 2500 + 10);
}

TEST_F(FrameSyncTest, AnUnreachableManagerIsUnavailable) {
    FakeHttpClient down([](const util::HttpRequest&) -> util::Result<util::HttpResponse> {
        return util::make_error("connection refused", util::ErrorKind::unavailable);
    });
    ApiClient offline{down, ClientConfig{"http://farm:8420", "people", "--manager", "--token"}};
    FrameSync sync(offline, {.dir = dir / "out"});
    auto round = sync.sync(7);
    ASSERT_FALSE(round.ok());
    EXPECT_EQ(round.error().kind, util::ErrorKind::unavailable);
}

TEST_F(FrameSyncTest, RunSyncExitsZeroWhenEveryFrameIsThere) {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_sync(api, {.job = 7, .dir = dir / "out"}, out, err), 0) << err.str();
    EXPECT_NE(out.str().find("3 downloaded, 0 already there, 0 failed"), std::string::npos)
        << out.str();
}

TEST_F(FrameSyncTest, RunSyncExitsOneNamingAFailedFrame) {
    store.broken = {3};
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_sync(api, {.job = 7, .dir = dir / "out"}, out, err), 1);
    EXPECT_NE(err.str().find("frame 3 (sub/shot_0003.png)"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("again resumes"), std::string::npos) << err.str();
}

TEST_F(FrameSyncTest, RunSyncExitsThreeWhenTheManagerIsUnreachable) {
    FakeHttpClient down([](const util::HttpRequest&) -> util::Result<util::HttpResponse> {
        return util::make_error("connection refused", util::ErrorKind::unavailable);
    });
    ApiClient offline{down, ClientConfig{"http://farm:8420", "people", "--manager", "--token"}};
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_sync(offline, {.job = 7, .dir = dir / "out", .follow = true}, out, err), 3);
}

TEST_F(FrameSyncTest, FollowingAFinishedJobMakesOneLastPassAndReportsJson) {
    store.status = core::JobStatus::completed;
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_sync(api, {.job = 7, .dir = dir / "out", .follow = true, .json = true}, out, err),
              0)
        << err.str();
    auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j["downloaded"], 3);
    EXPECT_EQ(j["present"], 0);  // the last pass finds them, but they came in this run
    EXPECT_EQ(j["status"], "completed");
    EXPECT_EQ(j["bytes"], 7010);
}

TEST_F(FrameSyncTest, FollowingAFailedJobExitsOne) {
    store.status = core::JobStatus::failed;
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_sync(api, {.job = 7, .dir = dir / "out", .follow = true}, out, err), 1);
    EXPECT_NE(err.str().find("ended failed"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace spotfarm::cli
