// Retries, the per-job blocklist, and the rules that fail a job.
#include "core/scheduler.h"

#include "core/scheduler_fixture.h"

namespace spotfarm::core {

TEST_F(SchedulerTest, AFailedTaskAvoidsItsWorkerAndFailsAfterThreeDistinctWorkers) {
    JobId j = submit("1-2");
    WorkerId w1 = worker("w1"), w2 = worker("w2"), w3 = worker("w3"), w4 = worker("w4");
    TaskId t1 = claim(w1);
    EXPECT_EQ(fail(t1, w1), FailOutcome::retrying);
    EXPECT_TRUE(has_event("task.retry"));
    // w1 failed t1 and gets t2, though t1 is first in frame order.
    TaskId t2 = claim(w1);
    EXPECT_NE(t2, t1);
    EXPECT_EQ(claim(w2), t1);
    EXPECT_EQ(fail(t1, w2), FailOutcome::retrying);
    EXPECT_EQ(claim(w3), t1);
    EXPECT_EQ(fail(t1, w3), FailOutcome::failed);
    EXPECT_EQ(task(t1).failed_on, (std::vector<WorkerId>{w1, w2, w3}));
    EXPECT_TRUE(has_event("task.fail"));
    // One failed task of two is not more than half: the job goes on.
    EXPECT_EQ(job(j).status, JobStatus::active);
    EXPECT_FALSE(try_claim(w4));
    EXPECT_EQ(*complete(t2, w1), CompleteOutcome::accepted);
    EXPECT_EQ(job(j).status, JobStatus::failed);
    EXPECT_EQ(job(j).message, "1 of 2 tasks failed");
}

TEST_F(SchedulerTest, AFailureReportedAfterTheLeaseWasLostChangesNothing) {
    submit("1");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t = claim(w1);
    clock.advance(policy.lease);
    s->reap(clock.now(), ch);
    EXPECT_EQ(claim(w2), t);
    EXPECT_EQ(fail(t, w1), FailOutcome::stale);
    EXPECT_EQ(task(t).status, TaskStatus::active);
    EXPECT_TRUE(task(t).failed_on.empty());
}

TEST_F(SchedulerTest, AWorkerThatFailsThreeTasksOfAJobIsBlocklistedForIt) {
    policy.max_task_failures = 10;
    make();
    JobId j = submit("1-6");
    JobId other = submit("1-2", 10);
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    for (int i = 0; i < 3; ++i) fail(claim(w1), w1);
    EXPECT_TRUE(s->blocklisted(job(j), w1));
    EXPECT_TRUE(has_event("worker.blocklist"));
    // It still gets work from other jobs, of lower priority.
    EXPECT_EQ(task(claim(w1)).job, other);
    EXPECT_EQ(task(claim(w2)).job, j);
    EXPECT_EQ(job(j).status, JobStatus::active);
}

TEST_F(SchedulerTest, AJobFailsWhenNoEligibleWorkerIsLeftForATask) {
    JobId j = submit("1-3");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t1 = claim(w1);
    TaskId t2 = claim(w2);
    EXPECT_EQ(fail(t1, w1), FailOutcome::retrying);
    // w2 is busy but online: it is still eligible for t1.
    EXPECT_EQ(job(j).status, JobStatus::active);
    EXPECT_EQ(*complete(t2, w2), CompleteOutcome::accepted);
    EXPECT_EQ(claim(w2), t1);
    EXPECT_EQ(fail(t1, w2), FailOutcome::failed);
    EXPECT_EQ(job(j).status, JobStatus::failed);
    EXPECT_NE(job(j).message.find("no eligible worker"), std::string::npos);
    EXPECT_FALSE(try_claim(w1));
}

TEST_F(SchedulerTest, OfflineWorkersDoNotCountAsEligible) {
    JobId j = submit("1-2");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    clock.advance(policy.worker_timeout);
    s->reap(clock.now(), ch);  // both offline
    TaskId t = claim(w1);      // w1 is back; w2 stays silent
    EXPECT_EQ(s->find_worker(w2)->status, WorkerStatus::offline);
    EXPECT_EQ(fail(t, w1), FailOutcome::failed);
    EXPECT_EQ(job(j).status, JobStatus::failed);
}

TEST_F(SchedulerTest, AJobFailsOnceTooLargeAShareOfItsTasksFailed) {
    policy.max_task_failures = 1;
    policy.max_failed_share = 0.2;
    make();
    JobId j = submit("1-4");
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t1 = claim(w1);
    TaskId t2 = claim(w2);
    EXPECT_EQ(fail(t1, w1), FailOutcome::failed);
    EXPECT_EQ(job(j).status, JobStatus::failed);
    EXPECT_NE(job(j).message.find("1 of 4 tasks failed"), std::string::npos);
    // The job's running task was returned; its worker is told why to stop.
    EXPECT_EQ(task(t2).status, TaskStatus::queued);
    EXPECT_EQ(heartbeat(t2, w2).reason, StopReason::job_failed);
    EXPECT_FALSE(try_claim(w2));
}

TEST_F(SchedulerTest, RequeueFailedForgetsFailuresAndTheBlocklist) {
    JobId j = submit("1");
    WorkerId w = worker();
    TaskId t = claim(w);
    EXPECT_EQ(fail(t, w), FailOutcome::failed);  // the only worker: none is left
    EXPECT_EQ(job(j).status, JobStatus::failed);
    ASSERT_TRUE(s->requeue_failed(j, ch));
    EXPECT_EQ(job(j).status, JobStatus::queued);
    EXPECT_TRUE(task(t).failed_on.empty());
    EXPECT_TRUE(job(j).worker_failures.empty());
    EXPECT_EQ(claim(w), t);
    EXPECT_EQ(*complete(t, w), CompleteOutcome::accepted);
    EXPECT_EQ(job(j).status, JobStatus::completed);
    EXPECT_FALSE(s->requeue_failed(j, ch));
}

}  // namespace spotfarm::core
