// Pause, resume, cancel, delete, and the rebuild from saved records.
#include "core/scheduler.h"

#include "core/scheduler_fixture.h"

namespace spotfarm::core {

TEST_F(SchedulerTest, PauseStopsRunningTasksAndResumeQueuesThemAgain) {
    JobId j = submit("1-3");
    WorkerId w = worker();
    TaskId t = claim(w);
    ASSERT_TRUE(s->pause(j, ch));
    EXPECT_EQ(job(j).status, JobStatus::paused);
    EXPECT_EQ(task(t).status, TaskStatus::queued);
    EXPECT_EQ(heartbeat(t, w).reason, StopReason::paused);
    EXPECT_FALSE(try_claim(w));
    EXPECT_FALSE(s->pause(j, ch));
    ASSERT_TRUE(s->resume(j, ch));
    EXPECT_EQ(job(j).status, JobStatus::queued);
    EXPECT_TRUE(ch.work_queued);
    EXPECT_EQ(claim(w), t);
    EXPECT_EQ(job(j).status, JobStatus::active);
    EXPECT_FALSE(s->resume(j, ch));
}

TEST_F(SchedulerTest, ResultsOfAPausedTaskStillCount) {
    JobId j = submit("1-2");
    WorkerId w = worker();
    TaskId t = claim(w);
    AttemptId attempt = task(t).attempt;
    ASSERT_TRUE(s->pause(j, ch));
    EXPECT_EQ(*complete(t, w, attempt), CompleteOutcome::accepted);
    EXPECT_EQ(job(j).count(TaskStatus::completed), 1);
    EXPECT_EQ(job(j).status, JobStatus::paused);
}

TEST_F(SchedulerTest, CancelKeepsCompletedTasksAndCancelsTheRest) {
    JobId j = submit("1-4");
    WorkerId w = worker();
    TaskId done = claim(w);
    ASSERT_EQ(*complete(done, w), CompleteOutcome::accepted);
    TaskId running = claim(w);
    ASSERT_TRUE(s->cancel(j, ch));
    EXPECT_EQ(job(j).status, JobStatus::canceled);
    EXPECT_EQ(job(j).count(TaskStatus::completed), 1);
    EXPECT_EQ(job(j).count(TaskStatus::canceled), 3);
    EXPECT_EQ(heartbeat(running, w).reason, StopReason::canceled);
    EXPECT_FALSE(complete(running, w, task(running).attempt));
    EXPECT_FALSE(try_claim(w));
    EXPECT_FALSE(s->cancel(j, ch));
    // Requeue brings the canceled tasks back in frame order.
    ASSERT_TRUE(s->requeue_failed(j, ch));
    EXPECT_EQ(job(j).count(TaskStatus::queued), 3);
    EXPECT_EQ(claim(w), running);
}

TEST_F(SchedulerTest, DeleteForgetsTheJobAndItsWorkersStop) {
    JobId j = submit("1-2");
    JobId kept = submit("5");
    WorkerId w = worker();
    TaskId t = claim(w);
    ASSERT_TRUE(s->remove(j, ch));
    EXPECT_EQ(s->find_job(j), nullptr);
    EXPECT_EQ(s->find_task(t), nullptr);
    EXPECT_EQ(heartbeat(t, w).reason, StopReason::gone);
    EXPECT_FALSE(complete(t, w));
    ASSERT_EQ(ch.deleted_jobs.size(), 1u);
    EXPECT_EQ(ch.deleted_jobs[0].id, j);
    EXPECT_EQ(ch.deleted_jobs[0].last_task.value - ch.deleted_jobs[0].first_task.value, 1);
    EXPECT_TRUE(s->find_worker(w)->tasks.empty());
    EXPECT_EQ(task(claim(w)).job, kept);
    EXPECT_FALSE(s->remove(j, ch));
}

TEST_F(SchedulerTest, RestoreRebuildsQueuesCountsAndRestartsLeases) {
    JobId j = submit("1-5");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t1 = claim(w1);
    TaskId t2 = claim(w1);
    TaskId t3 = claim(w2);
    ASSERT_EQ(*complete(t1, w1), CompleteOutcome::accepted);
    fail(t2, w1);  // back in the queue, before the fresh tail

    SchedulerRecords records;
    for (const Job* job : s->jobs()) {
        auto tasks = s->tasks_of(job->id);
        records.jobs.push_back({*job, {tasks.begin(), tasks.end()}});
    }
    for (const Worker* worker : s->workers()) records.workers.push_back(*worker);
    records.last_attempt = task(t3).attempt;

    clock.advance(std::chrono::hours(1));
    Scheduler restored(clock, policy);
    ASSERT_TRUE(restored.restore(records));
    const Job& rj = *restored.find_job(j);
    EXPECT_EQ(rj.count(TaskStatus::completed), 1);
    EXPECT_EQ(rj.count(TaskStatus::active), 1);
    EXPECT_EQ(rj.count(TaskStatus::queued), 3);
    EXPECT_EQ(restored.active_leases(), 1u);

    // w1 failed t2, so it gets the first fresh task; w2 still holds t3.
    Changes c;
    auto next = restored.claim(w1, {}, c);
    ASSERT_TRUE(next && *next);
    EXPECT_EQ(restored.find_task(**next)->frames.to_string(), "4");
    EXPECT_GT(restored.find_task(**next)->attempt, records.last_attempt);
    EXPECT_EQ(restored.find_worker(w2)->tasks, std::vector<TaskId>{t3});

    // The restarted lease of t3 runs out a lease after the restart.
    clock.advance(policy.lease - std::chrono::seconds(1));
    restored.reap(clock.now(), c);
    EXPECT_EQ(restored.find_task(t3)->status, TaskStatus::active);
    clock.advance(std::chrono::seconds(1));
    restored.reap(clock.now(), c);
    EXPECT_EQ(restored.find_task(t3)->status, TaskStatus::queued);
    EXPECT_EQ(restored.find_task(t1)->status, TaskStatus::completed);
    // New ids continue after the saved ones.
    WorkerId w3 = restored.register_worker({}, "", c);
    EXPECT_GT(w3, w2);
}

}  // namespace spotfarm::core
