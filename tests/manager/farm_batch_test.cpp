// Group commit: transitions in a batch are saved together by flush(), and not at all without it,
// so a manager that dies before its flush answered none of them and loses nothing it promised.
#include "manager/farm_fixture.h"

namespace spotfarm::manager {
namespace {

TEST_F(FarmTest, BatchedTransitionsAreSavedTogetherByTheFlushAndNotBefore) {
    const auto w = worker();
    const core::JobId job = submit("1-4");
    int scheduled = 0;
    farm->batch_commits([&] { ++scheduled; });
    EXPECT_FALSE(farm->unflushed());

    const Assignment first = claim(w.id);
    ASSERT_TRUE(complete(first, w.id));
    const Assignment second = claim(w.id);
    EXPECT_TRUE(farm->unflushed());
    EXPECT_EQ(scheduled, 1) << "one flush is asked for per batch";
    ASSERT_TRUE(farm->flush());
    EXPECT_FALSE(farm->unflushed());

    ASSERT_TRUE(complete(second, w.id));  // a new batch, never flushed: as if the manager died
    EXPECT_EQ(scheduled, 2);
    open();
    const auto detail = farm->show_job(job);
    ASSERT_TRUE(detail);
    EXPECT_EQ(detail->summary.tasks.at(core::TaskStatus::completed), 1);
    // The second task's claim was flushed: its lease is there, its completion is not.
    EXPECT_EQ(detail->summary.tasks.at(core::TaskStatus::active), 1);
}

TEST_F(FarmTest, WithoutBatchingEveryTransitionIsSavedAtOnce) {
    const auto w = worker();
    const core::JobId job = submit("1-2");
    ASSERT_TRUE(complete(claim(w.id), w.id));
    EXPECT_FALSE(farm->unflushed());
    open();
    auto detail = farm->show_job(job);
    ASSERT_TRUE(detail);
    EXPECT_EQ(detail->summary.tasks.at(core::TaskStatus::completed), 1);
}

}  // namespace
}  // namespace spotfarm::manager
