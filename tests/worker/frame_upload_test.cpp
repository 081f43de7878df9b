#include "worker/frame_upload.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

#include "util/file_hash.h"
#include "worker/fakes.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;
using namespace testing;

class FrameUploadTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto registered = manager.register_worker({});
        ASSERT_TRUE(registered);
        manager.use_worker_secret(registered->secret);
        protocol::Assignment task;
        task.task_id = 5;
        task.job_id = 7;
        manager.queue = {task};
        auto claimed = manager.claim(registered->id, {}, 1s);
        ASSERT_TRUE(claimed);
        attempt = std::get<protocol::Assignment>(*claimed).attempt_id;
        frame = scratch.write("out/frames/frame_0003.png", "PNG of frame 3");
    }
    UploadOutcome upload() {
        UploadContext context{manager, clock, sleeper, still_ours, must_stop};
        context.give_up_after = give_up_after;
        return upload_frame_file(context, 5, attempt, 3, "frames/frame_0003.png", frame);
    }
    static util::Error error(util::ErrorKind kind) { return util::make_error("scripted", kind); }

    test::ScratchDir scratch;
    util::FakeClock clock;
    FakeManager manager{clock};
    FakeSleeper sleeper{clock};
    int asked_ours = 0;
    bool ours = true;
    std::function<bool()> still_ours = [this] {
        ++asked_ours;
        return ours;
    };
    std::function<bool()> must_stop = [] { return false; };
    util::Clock::duration give_up_after = std::chrono::minutes(10);
    std::int64_t attempt = 0;
    fs::path frame;
};

TEST_F(FrameUploadTest, SendsTheFrameWithItsHashAndRemovesItOnceTheManagerHasIt) {
    auto hash = util::hash_file(frame);
    ASSERT_TRUE(hash);
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::kept) << outcome.error.message;
    EXPECT_EQ(outcome.tries, 1);
    ASSERT_EQ(manager.uploads.size(), 1u);
    EXPECT_EQ(manager.uploads[0].attempt_id, attempt);
    EXPECT_EQ(manager.uploads[0].frame, 3);
    EXPECT_EQ(manager.uploads[0].sha256, hash->sha256);
    EXPECT_EQ(manager.frames_held.at("frames/frame_0003.png"), "PNG of frame 3");
    EXPECT_FALSE(fs::exists(frame));
    EXPECT_TRUE(sleeper.sleeps.empty());
}

TEST_F(FrameUploadTest, NoAnswerAndAFullManagerDiskAreTriedAgainWhileTheTaskIsOurs) {
    manager.upload_errors = {
        error(util::ErrorKind::unavailable),
        util::make_error("the manager's disk is full (HTTP 507)", util::ErrorKind::unavailable)};
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::kept) << outcome.error.message;
    EXPECT_EQ(outcome.tries, 3);
    EXPECT_EQ(sleeper.sleeps.size(), 2u);
    EXPECT_EQ(asked_ours, 2);  // before each try again: the heartbeat's word
    EXPECT_EQ(manager.frames_held.count("frames/frame_0003.png"), 1u);
}

TEST_F(FrameUploadTest, AConflictMeansTheAttemptIsGoneAndNothingIsSentAgain) {
    manager.upload_errors = {error(util::ErrorKind::conflict)};
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::gone);
    EXPECT_EQ(outcome.tries, 1);
    EXPECT_TRUE(sleeper.sleeps.empty());
    EXPECT_TRUE(fs::exists(frame));  // not the manager's: kept until the job's folder goes
}

TEST_F(FrameUploadTest, StopsTryingOnceTheTaskIsNoLongerOurs) {
    manager.up = false;
    ours = false;
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::gone);
    EXPECT_EQ(outcome.tries, 1);
    EXPECT_EQ(asked_ours, 1);
}

TEST_F(FrameUploadTest, AHashMismatchIsHashedAndSentAgainAFewTimesThenFails) {
    manager.upload_errors = {error(util::ErrorKind::failed)};
    auto once = upload();
    EXPECT_EQ(once.end, UploadEnd::kept) << once.error.message;
    EXPECT_EQ(once.tries, 2);

    frame = scratch.write("out/frames/frame_0003.png", "PNG of frame 3");
    manager.upload_errors = {error(util::ErrorKind::failed), error(util::ErrorKind::failed),
                             error(util::ErrorKind::failed)};
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::failed);
    EXPECT_EQ(outcome.tries, 3);
    EXPECT_NE(outcome.error.message.find("refused frame 3 (frames/frame_0003.png)"),
              std::string::npos)
        << outcome.error.message;
}

TEST_F(FrameUploadTest, AManagerAwayTooLongFailsTheFrameSayingHowLong) {
    manager.up = false;
    give_up_after = std::chrono::minutes(2);
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::failed);
    EXPECT_EQ(outcome.error.kind, util::ErrorKind::unavailable);
    EXPECT_NE(outcome.error.message.find("could not be uploaded in"), std::string::npos)
        << outcome.error.message;
    EXPECT_GE(clock.now() - util::Clock::time_point{}, std::chrono::minutes(2));
    EXPECT_TRUE(fs::exists(frame));
}

TEST_F(FrameUploadTest, ADrainWithNoTimeLeftStopsTheRetries) {
    manager.up = false;
    must_stop = [this] { return sleeper.sleeps.size() >= 2; };
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::stopped);
    EXPECT_EQ(outcome.tries, 2);
}

TEST_F(FrameUploadTest, AFrameThatCannotBeReadFails) {
    fs::remove(frame);
    auto outcome = upload();
    EXPECT_EQ(outcome.end, UploadEnd::failed);
    EXPECT_NE(outcome.error.message.find("frame 3 cannot be read"), std::string::npos);
    EXPECT_TRUE(manager.uploads.empty());
}

}  // namespace
}  // namespace spotfarm::worker
