// Claim order, leases, completion and idempotence.
#include "core/scheduler.h"

#include "core/scheduler_fixture.h"

namespace spotfarm::core {

TEST_F(SchedulerTest, ChunksTheFramesIntoTasks) {
    JobId j = submit("1-10", k_default_priority, 3);
    auto tasks = s->tasks_of(j);
    ASSERT_EQ(tasks.size(), 4u);
    EXPECT_EQ(tasks[0].frames.to_string(), "1-3");
    EXPECT_EQ(tasks[3].frames.to_string(), "10");
    EXPECT_EQ(job(j).count(TaskStatus::queued), 4);
    EXPECT_EQ(job(j).status, JobStatus::queued);
    EXPECT_TRUE(ch.work_queued);
    ASSERT_EQ(ch.inserted_jobs.size(), 1u);
}

TEST_F(SchedulerTest, ClaimsByPriorityThenAgeThenFrames) {
    JobId low = submit("1-2", 10);
    JobId high_old = submit("1-2", 80);
    JobId high_new = submit("1-2", 80);
    WorkerId w = worker();
    std::vector<JobId> order;
    std::vector<std::string> frames;
    while (auto t = try_claim(w)) {
        order.push_back(task(*t).job);
        frames.push_back(task(*t).frames.to_string());
    }
    EXPECT_EQ(order, (std::vector<JobId>{high_old, high_old, high_new, high_new, low, low}));
    EXPECT_EQ(frames, (std::vector<std::string>{"1", "2", "1", "2", "1", "2"}));
}

TEST_F(SchedulerTest, PrefersTheWarmJobUnlessAHigherPriorityWaits) {
    JobId a = submit("1-3");
    JobId b = submit("1-3");
    WorkerId w = worker();
    // Without a warm job the older job goes first.
    EXPECT_EQ(task(claim(w)).job, a);
    // The worker's session holds b: b goes first although a is older.
    EXPECT_EQ(task(claim(w, b)).job, b);
    // Its latest claim makes b warm without saying so.
    EXPECT_EQ(task(claim(w)).job, b);
    JobId urgent = submit("1", 90);
    EXPECT_EQ(task(claim(w)).job, urgent);
}

TEST_F(SchedulerTest, ClaimStartsTheJobAndLeasesTheTask) {
    JobId j = submit("1-2");
    WorkerId w = worker();
    TaskId t = claim(w);
    EXPECT_EQ(task(t).status, TaskStatus::active);
    EXPECT_EQ(task(t).worker, w);
    EXPECT_EQ(task(t).attempts, 1);
    EXPECT_EQ(job(j).status, JobStatus::active);
    EXPECT_EQ(s->find_worker(w)->tasks, std::vector<TaskId>{t});
    EXPECT_TRUE(task(t).attempt.valid());
    EXPECT_EQ(ch.updated_tasks, std::vector<TaskId>{t});
    EXPECT_TRUE(has_event("job.start"));
}

TEST_F(SchedulerTest, CompletesTheJobWhenEveryTaskCompleted) {
    JobId j = submit("1-2");
    WorkerId w = worker();
    TaskId t1 = claim(w);
    TaskId t2 = claim(w);
    EXPECT_EQ(*complete(t1, w), CompleteOutcome::accepted);
    EXPECT_EQ(job(j).status, JobStatus::active);
    EXPECT_EQ(*complete(t2, w), CompleteOutcome::accepted);
    EXPECT_EQ(job(j).status, JobStatus::completed);
    EXPECT_EQ(job(j).count(TaskStatus::completed), 2);
    EXPECT_TRUE(has_event("job.complete"));
    EXPECT_FALSE(try_claim(w));
    EXPECT_EQ(s->active_leases(), 0u);
}

TEST_F(SchedulerTest, ARepeatedCompleteIsAcceptedOnceAndNotCountedTwice) {
    JobId j = submit("1-3");
    WorkerId w = worker();
    TaskId t = claim(w);
    EXPECT_EQ(*complete(t, w), CompleteOutcome::accepted);
    ch = {};
    EXPECT_EQ(*complete(t, w), CompleteOutcome::already_accepted);
    EXPECT_EQ(job(j).count(TaskStatus::completed), 1);
    EXPECT_TRUE(ch.ended_attempts.empty());
    EXPECT_TRUE(ch.updated_tasks.empty());
}

TEST_F(SchedulerTest, ResultsMustNameEveryFrameOfTheTask) {
    submit("1-4", k_default_priority, 2);
    WorkerId w = worker();
    TaskId t = claim(w);
    auto r = s->complete(t, w, {{1, "/out/1"}}, {}, ch);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("1-2"), std::string::npos);
    EXPECT_FALSE(s->complete(t, w, {{1, "/out/1"}, {2, ""}}, {}, ch));
    EXPECT_EQ(task(t).status, TaskStatus::active);
}

TEST_F(SchedulerTest, HeartbeatsExtendTheLeaseAndSilenceExpiresIt) {
    JobId j = submit("1");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t = claim(w1);
    clock.advance(std::chrono::seconds(50));
    EXPECT_EQ(heartbeat(t, w1).reply, HeartbeatReply::keep_going);
    clock.advance(std::chrono::seconds(50));
    s->reap(clock.now(), ch);
    EXPECT_EQ(task(t).status, TaskStatus::active);
    clock.advance(std::chrono::seconds(11));
    ch = {};
    s->reap(clock.now(), ch);
    EXPECT_EQ(task(t).status, TaskStatus::queued);
    EXPECT_TRUE(has_event("task.lease_expired"));
    ASSERT_EQ(ch.ended_attempts.size(), 1u);
    EXPECT_EQ(ch.ended_attempts[0].outcome, AttemptOutcome::lease_expired);
    EXPECT_TRUE(s->find_worker(w1)->tasks.empty());

    auto reply = heartbeat(t, w1);
    EXPECT_EQ(reply.reply, HeartbeatReply::stop);
    EXPECT_EQ(reply.reason, StopReason::reassigned);
    EXPECT_EQ(claim(w2), t);
    EXPECT_EQ(task(t).attempts, 2);
    EXPECT_EQ(job(j).count(TaskStatus::active), 1);
}

TEST_F(SchedulerTest, LateResultsOfALostLeaseCountUnlessAnotherWorkerDelivered) {
    submit("1-2");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t = claim(w1);
    AttemptId first_attempt = task(t).attempt;
    clock.advance(policy.lease + std::chrono::seconds(1));
    s->reap(clock.now(), ch);
    EXPECT_EQ(claim(w2), t);

    // Without an earlier attempt of its own the worker's results are refused.
    WorkerId w3 = worker("w3");
    EXPECT_FALSE(complete(t, w3));

    ch = {};
    EXPECT_EQ(*complete(t, w1, first_attempt), CompleteOutcome::accepted);
    EXPECT_EQ(task(t).status, TaskStatus::completed);
    EXPECT_EQ(task(t).worker, w1);
    ASSERT_EQ(ch.ended_attempts.size(), 2u);
    EXPECT_EQ(ch.ended_attempts[0].outcome, AttemptOutcome::superseded);
    EXPECT_EQ(ch.ended_attempts[1].id, first_attempt);
    EXPECT_EQ(heartbeat(t, w2).reason, StopReason::reassigned);
    EXPECT_EQ(*complete(t, w2), CompleteOutcome::completed_by_other);
    EXPECT_TRUE(s->find_worker(w2)->tasks.empty());
}

TEST_F(SchedulerTest, DrainReturnsTheWorkersTasksAtOnce) {
    submit("1-2");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t1 = claim(w1);
    TaskId t2 = claim(w1);
    auto returned = s->drain(w1, ch);
    ASSERT_TRUE(returned);
    EXPECT_EQ(*returned, (std::vector<TaskId>{t1, t2}));
    EXPECT_EQ(task(t1).status, TaskStatus::queued);
    EXPECT_EQ(s->find_worker(w1)->status, WorkerStatus::draining);
    EXPECT_FALSE(try_claim(w1));
    EXPECT_EQ(claim(w2), t1);
}

TEST_F(SchedulerTest, SilentWorkersGoOfflineAndComeBackWhenTheyCall) {
    WorkerId w = worker();
    clock.advance(policy.worker_timeout);
    s->reap(clock.now(), ch);
    EXPECT_EQ(s->find_worker(w)->status, WorkerStatus::offline);
    EXPECT_TRUE(has_event("worker.offline"));
    EXPECT_FALSE(try_claim(w));
    EXPECT_EQ(s->find_worker(w)->status, WorkerStatus::online);
}

TEST_F(SchedulerTest, UnknownWorkersAndTasksAreErrors) {
    EXPECT_FALSE(s->claim(WorkerId(42), {}, ch));
    WorkerId w = worker();
    EXPECT_FALSE(s->complete(TaskId(7), w, {}, {}, ch));
    EXPECT_FALSE(s->fail(TaskId(7), w, "", "", ch));
    EXPECT_EQ(heartbeat(TaskId(7), w).reason, StopReason::gone);
}

}  // namespace spotfarm::core
