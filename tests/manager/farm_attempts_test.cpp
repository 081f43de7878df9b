// Reports name an attempt: only a worker's latest attempt at a task may report on it, so that an
// older attempt, from before the worker claimed the task again, ends or extends nothing.
#include <gtest/gtest.h>

#include <vector>

#include "manager/farm_fixture.h"

namespace spotfarm::manager {
namespace {

TEST_F(FarmTest, TheHolderReportsWithTheAttemptItHolds) {
    submit("1");
    WorkerCredentials w = worker();
    Assignment a = claim(w.id);
    EXPECT_TRUE(farm->check_attempt(a.task, w.id, a.attempt));
    auto wrong = farm->check_attempt(a.task, w.id, core::AttemptId(999'999));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().kind, util::ErrorKind::conflict);
    auto missing = farm->check_attempt(core::TaskId(12'345), w.id, a.attempt);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, util::ErrorKind::not_found);
}

TEST_F(FarmTest, AnAttemptBeforeTheWorkerClaimedTheTaskAgainIsStale) {
    submit("1");
    WorkerCredentials w = worker();
    Assignment old = claim(w.id);
    clock.advance(policy.lease);
    ASSERT_TRUE(farm->reap(clock.now()));
    Assignment now = claim(w.id);
    ASSERT_EQ(now.task, old.task);
    ASSERT_NE(now.attempt, old.attempt);

    auto stale = farm->check_attempt(old.task, w.id, old.attempt);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, util::ErrorKind::conflict);
    EXPECT_TRUE(farm->check_attempt(now.task, w.id, now.attempt));
    // Nothing was changed by the check: the new attempt still holds the task.
    const core::Task* task = farm->scheduler().find_task(now.task);
    EXPECT_EQ(task->status, core::TaskStatus::active);
    EXPECT_EQ(task->attempt, now.attempt);
}

TEST_F(FarmTest, AWorkerThatLostTheLeaseMayReportOnItsOwnLastAttemptOnly) {
    submit("1");
    WorkerCredentials slow = worker("slow");
    WorkerCredentials fast = worker("fast");
    WorkerCredentials never = worker("never");
    Assignment first = claim(slow.id);
    clock.advance(policy.lease);
    ASSERT_TRUE(farm->reap(clock.now()));
    Assignment second = claim(fast.id);

    // Late results of the slow worker's own attempt still count (farm_test.cpp); another id not.
    EXPECT_TRUE(farm->check_attempt(first.task, slow.id, first.attempt));
    EXPECT_FALSE(farm->check_attempt(first.task, slow.id, second.attempt));
    EXPECT_FALSE(farm->check_attempt(first.task, never.id, second.attempt));
    EXPECT_FALSE(farm->check_attempt(first.task, never.id, core::AttemptId(999'999)));
}

TEST_F(FarmTest, EachEndedAttemptIsPassedOnOnceSaved) {
    std::vector<core::AttemptOutcome> ended;
    farm->on_attempt_ended([&](const core::AttemptEnd& end) { ended.push_back(end.outcome); });
    core::JobId job = submit("1-3");
    WorkerCredentials w = worker("w");
    WorkerCredentials other = worker("other");
    claim(w.id);
    clock.advance(policy.lease);
    ASSERT_TRUE(farm->reap(clock.now()));
    ASSERT_TRUE(complete(claim(w.id), w.id));
    Assignment b = claim(w.id);
    ASSERT_TRUE(farm->fail(b.task, w.id, "boom", ""));
    claim(other.id);
    ASSERT_TRUE(farm->pause(job));
    std::vector<core::AttemptOutcome> expected = {
        core::AttemptOutcome::lease_expired, core::AttemptOutcome::completed,
        core::AttemptOutcome::failed, core::AttemptOutcome::stopped};
    EXPECT_EQ(ended, expected);
}

}  // namespace
}  // namespace spotfarm::manager
