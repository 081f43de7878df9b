#include <gtest/gtest.h>

#include "core/scheduler.h"
#include "store/store.h"
#include "store/test_dir.h"
#include "util/clock.h"

namespace spotfarm::store {
namespace {

FrameFileRow row(std::int64_t job, int frame, std::int64_t task, std::string name,
                 std::string hash) {
    return FrameFileRow{.job = core::JobId(job),
                        .frame = frame,
                        .task = core::TaskId(task),
                        .name = std::move(name),
                        .size = 100 + frame,
                        .sha256 = std::move(hash)};
}

class FrameFilesTest : public ::testing::Test {
protected:
    std::unique_ptr<Store> open() {
        auto opened = Store::open(dir.path() / "state.db");
        EXPECT_TRUE(opened) << opened.error().message;
        return opened ? std::move(opened).value() : nullptr;
    }
    TestDir dir;
};

TEST_F(FrameFilesTest, RowsAreListedByFrameAndALaterUploadReplacesTheRow) {
    auto store = open();
    ASSERT_TRUE(store->put_frame_file(row(1, 3, 13, "f_0003.png", std::string(64, 'c'))));
    ASSERT_TRUE(store->put_frame_file(row(1, 1, 11, "f_0001.png", std::string(64, 'a'))));
    ASSERT_TRUE(store->put_frame_file(row(2, 1, 21, "g_0001.png", std::string(64, 'b'))));
    // Another attempt of task 11 uploads frame 1 again, with other bytes.
    ASSERT_TRUE(store->put_frame_file(row(1, 1, 11, "f_0001.png", std::string(64, 'd'))));

    auto rows = store->frame_files(core::JobId(1));
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[0], row(1, 1, 11, "f_0001.png", std::string(64, 'd')));
    EXPECT_EQ((*rows)[1], row(1, 3, 13, "f_0003.png", std::string(64, 'c')));

    auto one = store->frame_file(core::JobId(2), 1);
    ASSERT_TRUE(one);
    ASSERT_TRUE(one->has_value());
    EXPECT_EQ((*one)->name, "g_0001.png");
    auto none = store->frame_file(core::JobId(2), 2);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
}

TEST_F(FrameFilesTest, RowsSurviveAReopenAndGoWithTheirJob) {
    util::FakeClock clock;
    core::Scheduler sched(clock);
    core::JobId job;
    {
        auto store = open();
        core::Changes changes;
        core::JobSpec spec{.name = "shot",
                           .scene = "shot.blend",
                           .output = "f_####",
                           .frames = "1-2",
                           .chunk = 1,
                           .settings = "{}"};
        job = sched.submit(spec, changes).value();
        ASSERT_TRUE(store->commit(changes, sched));
        ASSERT_TRUE(
            store->put_frame_file(row(job.value, 1, 1, "f_0001.png", std::string(64, 'a'))));
    }
    auto store = open();
    auto rows = store->frame_files(job);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);

    core::Changes changes;
    ASSERT_TRUE(sched.remove(job, changes));
    ASSERT_TRUE(store->commit(changes, sched));
    rows = store->frame_files(job);
    ASSERT_TRUE(rows);
    EXPECT_TRUE(rows->empty());
}

TEST_F(FrameFilesTest, ARowWrittenInABatchIsSavedWithIt) {
    auto store = open();
    ASSERT_TRUE(store->begin_batch());
    ASSERT_TRUE(store->put_frame_file(row(1, 1, 1, "a.png", std::string(64, 'a'))));
    store->abort_batch();
    auto rows = store->frame_files(core::JobId(1));
    ASSERT_TRUE(rows);
    EXPECT_TRUE(rows->empty());

    ASSERT_TRUE(store->begin_batch());
    ASSERT_TRUE(store->put_frame_file(row(1, 1, 1, "a.png", std::string(64, 'a'))));
    ASSERT_TRUE(store->end_batch());
    rows = store->frame_files(core::JobId(1));
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->size(), 1u);
}

}  // namespace
}  // namespace spotfarm::store
