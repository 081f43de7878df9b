// The worker loop with transfer-mode tasks (docs/transfer.md): the job's files come from the
// (fake) manager into a real blob cache and job folder, frames go back before the task reports.

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

#include "support/test_bytes.h"
#include "util/file_hash.h"
#include "worker/fakes.h"
#include "worker/worker_loop.h"

namespace spotfarm::worker {
namespace {

namespace fs = std::filesystem;
using namespace testing;

class WorkerLoopTransferTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = Outbox::open(scratch / "state" / "outbox");
        ASSERT_TRUE(opened) << opened.error().message;
        outbox = std::move(opened).value();
        auto cache_opened = BlobCache::open(scratch / "cache", 1 << 20);
        ASSERT_TRUE(cache_opened) << cache_opened.error().message;
        cache = std::move(cache_opened).value();
        trees = std::make_unique<JobTrees>(*cache, scratch / "work");
        manager.on_idle = [this] { ++signals; };  // out of work: leave
        config.info = protocol::RegisterRequest{"w1", "host1", 4, 8192, {}, "4.2.0", {}};
        config.manager = "http://manager:8080/api/v1";
        config.seed = 7;
        renderer.write_files = true;
        tree_hash = serve({{"shot.blend", "scene"},
                           {"tex/wood.png", "wood"},
                           {"_external/mnt/lib/rock.png", "rock"}},
                          {{"/mnt/lib/rock.png", "_external/mnt/lib/rock.png"}});
    }
    std::string serve(const std::map<std::string, std::string>& files,
                      std::map<std::string, std::string> remap) {
        protocol::Tree tree;
        for (const auto& [path, bytes] : files) {
            manager.blobs[spotfarm::testing::sha256_of(bytes)] = bytes;
            tree.files.push_back({path, spotfarm::testing::sha256_of(bytes),
                                  static_cast<std::int64_t>(bytes.size())});
        }
        tree.remap = std::move(remap);
        const std::string blob = protocol::to_tree_blob(tree);
        manager.blobs[spotfarm::testing::sha256_of(blob)] = blob;
        return spotfarm::testing::sha256_of(blob);
    }
    protocol::Assignment task(std::int64_t id, std::vector<int> frames) const {
        protocol::Assignment a;
        a.task_id = id;
        a.job_id = 7;
        a.frames = core::FrameSet::from_frames(std::move(frames));
        a.job.scene = "shot.blend";
        a.job.output = "frame_####";
        a.job.tree = tree_hash;
        return a;
    }
    util::Status run(bool with_trees = true) {
        WorkerLoop loop(config, WorkerServices{manager, renderer, *outbox, clock, sleeper, nullptr,
                                               &signals, with_trees ? trees.get() : nullptr});
        util::Status status = loop.run();
        summary = loop.summary();
        return status;
    }

    test::ScratchDir scratch;
    util::FakeClock clock;
    FakeManager manager{clock};
    FakeRenderer renderer{clock};
    FakeSleeper sleeper{clock};
    std::atomic<int> signals{0};
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<BlobCache> cache;
    std::unique_ptr<JobTrees> trees;
    WorkerConfig config;
    WorkerSummary summary;
    std::string tree_hash;
};

TEST_F(WorkerLoopTransferTest, FetchesOnceRendersInTheJobFolderAndUploadsBeforeCompleting) {
    manager.queue = {task(1, {1, 2}), task(2, {3})};
    fs::path tree_dir;
    renderer.on_tick = [&](int frame, int second) {
        // While rendering, the job's files are in place under the worker's work folder.
        if (frame == 1 && second == 1) {
            tree_dir = scratch / "work" / "job-7" / "tree";
            EXPECT_TRUE(fs::exists(tree_dir / "tex" / "wood.png"));
        }
    };

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    ASSERT_EQ(renderer.jobs.size(), 2u);
    const fs::path root = scratch / "work" / "job-7";
    EXPECT_EQ(renderer.jobs[0].settings.scene, (root / "tree" / "shot.blend").string());
    EXPECT_EQ(renderer.jobs[0].settings.output, (root / "out" / "frame_####").string());
    EXPECT_EQ(renderer.jobs[0].path_remap.at("/mnt/lib/rock.png"),
              (root / "tree" / "_external/mnt/lib/rock.png").string());
    // The tree and three files, once for both tasks.
    EXPECT_EQ(manager.blobs_fetched.size(), 4u);

    EXPECT_EQ(manager.frames_held,
              (std::map<std::string, std::string>{{"frame_0001.png", "PNG of frame 1"},
                                                  {"frame_0002.png", "PNG of frame 2"},
                                                  {"frame_0003.png", "PNG of frame 3"}}));
    ASSERT_EQ(manager.completes.size(), 2u);
    ASSERT_EQ(manager.completes[0].frames.size(), 2u);
    EXPECT_EQ(manager.completes[0].frames[0].output, "frame_0001.png");
    EXPECT_EQ(manager.completes[1].frames[0].output, "frame_0003.png");
    // Each frame went up before its task said complete.
    const auto& calls = manager.calls;
    auto first_complete = std::find(calls.begin(), calls.end(), "complete");
    EXPECT_EQ(std::count(calls.begin(), first_complete, "upload"), 2);
    EXPECT_EQ(summary.tasks_completed, 2);
    // Left: the job's folder is gone, the cache stays for the next job.
    EXPECT_FALSE(fs::exists(root));
    EXPECT_TRUE(fs::exists(cache->path_of(spotfarm::testing::sha256_of("wood"))));
}

TEST_F(WorkerLoopTransferTest, AnUploadTheManagerCannotTakeNowIsRetriedAndTheLeaseKept) {
    manager.queue = {task(1, {1})};
    manager.upload_errors = {util::make_error("HTTP 503", util::ErrorKind::unavailable),
                             util::make_error("HTTP 507 disk full", util::ErrorKind::unavailable)};

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(manager.uploads.size(), 3u);
    ASSERT_EQ(manager.completes.size(), 1u);
    EXPECT_EQ(manager.completes[0].frames[0].output, "frame_0001.png");
    // Between the tries the worker asked whether the task is still its own.
    const auto& calls = manager.calls;
    auto first_upload = std::find(calls.begin(), calls.end(), "upload");
    auto complete = std::find(calls.begin(), calls.end(), "complete");
    EXPECT_GE(std::count(first_upload, complete, "progress"), 2);
}

TEST_F(WorkerLoopTransferTest, AnAttemptTheManagerNoLongerTakesFramesForIsDropped) {
    manager.queue = {task(1, {1, 2})};
    manager.upload_errors = {util::make_error("HTTP 409", util::ErrorKind::conflict)};

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(summary.tasks_dropped, 1);
    EXPECT_TRUE(manager.completes.empty());
    EXPECT_TRUE(manager.fails.empty());
    EXPECT_EQ(renderer.frames_finished, std::vector<int>{1});  // frame 2 never started
}

TEST_F(WorkerLoopTransferTest, AFileTheManagerLostFailsTheTaskSayingWhich) {
    manager.queue = {task(1, {1})};
    manager.blobs.erase(spotfarm::testing::sha256_of("wood"));

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_NE(manager.fails[0].error.find("tex/wood.png of job 7"), std::string::npos)
        << manager.fails[0].error;
    EXPECT_NE(manager.fails[0].error.find("submit the job again"), std::string::npos);
    EXPECT_TRUE(renderer.frames_started.empty());
}

TEST_F(WorkerLoopTransferTest, AFrameThatCannotBeUploadedFailsTheTaskWithOnlyUploadedFrames) {
    manager.queue = {task(1, {1, 2})};
    // Frame 1 goes up; frame 2 is refused three times over as not matching its hash.
    renderer.on_tick = [&](int frame, int second) {
        if (frame == 2 && second == 1) {
            manager.upload_errors.assign(3, util::make_error("hash", util::ErrorKind::failed));
        }
    };

    auto status = run();

    ASSERT_TRUE(status) << status.error().message;
    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_NE(manager.fails[0].error.find("refused frame 2"), std::string::npos)
        << manager.fails[0].error;
    ASSERT_EQ(manager.fails[0].frames.size(), 1u);
    EXPECT_EQ(manager.fails[0].frames[0].output, "frame_0001.png");
}

TEST_F(WorkerLoopTransferTest, AWorkerWithoutACacheFailsTransferTasks) {
    manager.queue = {task(1, {1})};
    auto status = run(false);
    ASSERT_TRUE(status) << status.error().message;
    ASSERT_EQ(manager.fails.size(), 1u);
    EXPECT_NE(manager.fails[0].error.find("transfer mode"), std::string::npos);
    EXPECT_TRUE(renderer.frames_started.empty());
}

}  // namespace
}  // namespace spotfarm::worker
