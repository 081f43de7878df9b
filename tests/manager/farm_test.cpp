#include "manager/farm.h"

#include "core/errors.h"
#include "manager/farm_fixture.h"

namespace spotfarm::manager {

using core::TaskStatus;

TEST_F(FarmTest, RegisteredWorkersAuthenticateWithTheirSecretOnly) {
    WorkerCredentials w = worker();
    EXPECT_EQ(w.secret.size(), 64u);
    EXPECT_TRUE(farm->authenticate_worker(w.id, w.secret));
    EXPECT_FALSE(farm->authenticate_worker(w.id, w.secret.substr(1) + "0"));
    EXPECT_FALSE(farm->authenticate_worker(w.id, ""));
    EXPECT_FALSE(farm->authenticate_worker(core::WorkerId(w.id.value + 1), w.secret));
    EXPECT_NE(farm->scheduler().find_worker(w.id)->secret_hash, w.secret);
    // The secret still works after a restart.
    open();
    EXPECT_TRUE(farm->authenticate_worker(w.id, w.secret));
}

TEST_F(FarmTest, AClaimCarriesTheFramesAndTheJobSettings) {
    core::JobId j = submit("1-10", 4);
    WorkerCredentials w = worker();
    Assignment a = claim(w.id);
    EXPECT_EQ(a.job, j);
    EXPECT_EQ(a.frames.to_string(), "1-4");
    EXPECT_EQ(a.scene, "/scenes/a.blend");
    EXPECT_EQ(a.output, "/out/a_####");
    EXPECT_EQ(a.settings, R"({"engine":"CYCLES","samples":4})");
    EXPECT_DOUBLE_EQ(a.lease_seconds, 60.0);
    EXPECT_TRUE(a.attempt.valid());
}

TEST_F(FarmTest, HeartbeatsKeepTheLeaseAndShowProgressUntilTheJobPauses) {
    core::JobId j = submit("1-2");
    WorkerCredentials w = worker();
    Assignment a = claim(w.id);
    clock.advance(std::chrono::seconds(30));
    auto beat =
        farm->heartbeat(a.task, w.id, {.fraction = 0.5, .frame = 1, .message = "Sample 8/16"});
    ASSERT_TRUE(beat);
    EXPECT_TRUE(beat->keep_going);
    EXPECT_DOUBLE_EQ(beat->lease_seconds, 60.0);
    auto shown = farm->show_task(a.task);
    ASSERT_TRUE(shown);
    ASSERT_TRUE(shown->summary.progress);
    EXPECT_EQ(shown->summary.progress->message, "Sample 8/16");

    ASSERT_TRUE(farm->pause(j));
    beat = farm->heartbeat(a.task, w.id, {});
    ASSERT_TRUE(beat);
    EXPECT_FALSE(beat->keep_going);
    EXPECT_EQ(beat->reason, core::StopReason::paused);
    EXPECT_FALSE(farm->show_task(a.task)->summary.progress);
}

TEST_F(FarmTest, ARepeatedCompleteIsAcceptedOnceAcrossARestart) {
    core::JobId j = submit("1-3");
    WorkerCredentials w = worker();
    Assignment a = claim(w.id);
    EXPECT_EQ(*complete(a, w.id), core::CompleteOutcome::accepted);
    open();
    EXPECT_EQ(*complete(a, w.id), core::CompleteOutcome::already_accepted);
    auto job = farm->show_job(j);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->frames_done, 1);
    auto task = farm->show_task(a.task);
    ASSERT_EQ(task->attempts.size(), 1u);
    EXPECT_EQ(task->attempts[0].outcome, core::AttemptOutcome::completed);
    ASSERT_EQ(task->attempts[0].results.size(), 1u);
    EXPECT_EQ(task->attempts[0].results[0].output, "/out/a_1");
}

TEST_F(FarmTest, ResultsThatArriveAfterTheLeaseWasLostStillCount) {
    submit("1");
    WorkerCredentials slow = worker("slow");
    WorkerCredentials fast = worker("fast");
    Assignment first = claim(slow.id);
    clock.advance(policy.lease);
    auto reaped = farm->reap(clock.now());
    ASSERT_TRUE(reaped);
    EXPECT_EQ(reaped->leases_expired, 1u);
    Assignment second = claim(fast.id);
    EXPECT_EQ(second.task, first.task);

    EXPECT_EQ(*complete(first, slow.id), core::CompleteOutcome::accepted);
    EXPECT_FALSE(farm->heartbeat(second.task, fast.id, {})->keep_going);
    EXPECT_EQ(*complete(second, fast.id), core::CompleteOutcome::completed_by_other);
    auto attempts = farm->show_task(first.task)->attempts;
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].outcome, core::AttemptOutcome::completed);
    EXPECT_EQ(attempts[0].worker, slow.id);
    EXPECT_EQ(attempts[1].outcome, core::AttemptOutcome::superseded);
}

TEST_F(FarmTest, FailuresKeepTheirErrorAndTheEndOfTheLog) {
    submit("1-2");
    WorkerCredentials w1 = worker("w1");
    WorkerCredentials w2 = worker("w2");
    Assignment a = claim(w1.id);
    std::string log(40000, 'x');
    log += "Error: CUDA error: out of memory";
    auto failed = farm->fail(a.task, w1.id, "render failed", log);
    ASSERT_TRUE(failed);
    EXPECT_EQ(*failed, core::FailOutcome::retrying);
    auto task = farm->show_task(a.task);
    ASSERT_EQ(task->attempts.size(), 1u);
    EXPECT_EQ(task->attempts[0].error, "render failed");
    EXPECT_LT(task->attempts[0].log_tail.size(), log.size());
    EXPECT_TRUE(task->attempts[0].log_tail.ends_with("out of memory"));
    EXPECT_EQ(task->summary.failed_on, std::vector<core::WorkerId>{w1.id});
    // The other worker gets the task back; the one that failed it does not.
    EXPECT_NE(claim(w1.id).task, a.task);
    EXPECT_EQ(claim(w2.id).task, a.task);
}

TEST_F(FarmTest, DrainReturnsTheTasksAtOnce) {
    core::JobId j = submit("1-2");
    WorkerCredentials w = worker();
    Assignment a = claim(w.id);
    auto drained = farm->drain(w.id);
    ASSERT_TRUE(drained);
    EXPECT_EQ(*drained, std::vector<core::TaskId>{a.task});
    EXPECT_EQ(farm->show_job(j)->summary.tasks.at(TaskStatus::queued), 2);
    EXPECT_EQ(farm->show_worker(w.id)->status, core::WorkerStatus::draining);
}

TEST_F(FarmTest, BadSubmissionsAreRefusedWithTheFieldToFix) {
    auto r = farm->submit({.scene = "/a.blend", .output = "/out/../x", .frames = "1-3"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(r.error().message.find(".."), std::string::npos);
    r = farm->submit({.scene = "/a.blend", .output = "/out/x", .frames = "1-1000000000"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, util::ErrorKind::invalid);
    r = farm->submit({.scene = "", .output = "/out/x", .frames = "1"});
    EXPECT_FALSE(r);
    r = farm->submit({.scene = "/a.blend", .output = "/out/x", .frames = "1", .chunk = 0});
    EXPECT_FALSE(r);
    EXPECT_TRUE(farm->list_jobs().empty());
}

TEST_F(FarmTest, ErrorsSayWhetherTheRecordIsMissingOrRefusesTheMove) {
    core::JobId j = submit("1");
    EXPECT_EQ(farm->cancel(core::JobId(99)).error().kind, util::ErrorKind::not_found);
    EXPECT_EQ(farm->show_job(core::JobId(99)).error().kind, util::ErrorKind::not_found);
    EXPECT_EQ(farm->show_task(core::TaskId(99)).error().kind, util::ErrorKind::not_found);
    EXPECT_EQ(farm->claim(core::WorkerId(99)).error().kind, util::ErrorKind::not_found);
    EXPECT_EQ(farm->resume(j).error().kind, util::ErrorKind::conflict);
    ASSERT_TRUE(farm->cancel(j));
    EXPECT_EQ(farm->pause(j).error().kind, util::ErrorKind::conflict);
}

TEST_F(FarmTest, WaitingClaimersAreWokenWhenWorkIsQueued) {
    int wakes = 0;
    farm->on_work_available([&] { ++wakes; });
    core::JobId j = submit("1-2");
    EXPECT_EQ(wakes, 1);
    WorkerCredentials w = worker();
    Assignment a = claim(w.id);
    EXPECT_EQ(wakes, 1);
    ASSERT_TRUE(farm->pause(j));
    EXPECT_EQ(wakes, 1);
    ASSERT_TRUE(farm->resume(j));
    EXPECT_EQ(wakes, 2);
    a = claim(w.id);
    clock.advance(policy.lease);
    ASSERT_TRUE(farm->reap(clock.now()));
    EXPECT_EQ(wakes, 3);
}

TEST_F(FarmTest, EventsAreSavedAndPassedOn) {
    std::vector<std::string> seen;
    farm->on_event([&](const core::Event& e) { seen.push_back(e.kind); });
    core::JobId j = submit("1");
    WorkerCredentials w = worker();
    complete(claim(w.id), w.id).value();
    EXPECT_EQ(seen, (std::vector<std::string>{"job.submit", "worker.register", "job.start",
                                              "job.complete"}));
    auto events = farm->events_since(core::EventId{});
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 4u);
    EXPECT_EQ((*events)[3].job, j);
    EXPECT_EQ(farm->events_since((*events)[1].id)->size(), 2u);
}

TEST_F(FarmTest, AJobShowsEachFrameByTheStatusOfItsTask) {
    core::JobId j = submit("1-10", 2);
    WorkerCredentials w = worker();
    Assignment first = claim(w.id);
    complete(first, w.id).value();
    claim(w.id);
    auto job = farm->show_job(j);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->frames_by_status.at(TaskStatus::completed), "1-2");
    EXPECT_EQ(job->frames_by_status.at(TaskStatus::active), "3-4");
    EXPECT_EQ(job->frames_by_status.at(TaskStatus::queued), "5-10");
    EXPECT_EQ(job->frames_done, 2);
    EXPECT_EQ(job->summary.frame_count, 10);
    EXPECT_EQ(job->summary.status, core::JobStatus::active);
    EXPECT_EQ(job->settings, R"({"engine":"CYCLES","samples":4})");
}

TEST_F(FarmTest, TasksAreListedByStatusInPages) {
    core::JobId j = submit("1-10");
    WorkerCredentials w = worker();
    claim(w.id);
    auto queued = farm->list_tasks(j, {.status = TaskStatus::queued, .offset = 2, .limit = 3});
    ASSERT_TRUE(queued);
    ASSERT_EQ(queued->size(), 3u);
    EXPECT_EQ((*queued)[0].frames, "4");
    auto active = farm->list_tasks(j, {.status = TaskStatus::active});
    ASSERT_EQ(active->size(), 1u);
    EXPECT_TRUE((*active)[0].lease_seconds);
    EXPECT_EQ(farm->list_tasks(core::JobId(42)).error().kind, util::ErrorKind::not_found);
}

TEST_F(FarmTest, DeletedJobsAreGoneAfterARestart) {
    core::JobId gone = submit("1-3");
    core::JobId kept = submit("4");
    ASSERT_TRUE(farm->delete_job(gone));
    open();
    auto jobs = farm->list_jobs();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].id, kept);
}

TEST_F(FarmTest, SilentWorkersAreMarkedOffline) {
    WorkerCredentials w = worker();
    clock.advance(policy.worker_timeout);
    auto reaped = farm->reap(clock.now());
    ASSERT_TRUE(reaped);
    EXPECT_EQ(reaped->workers_offline, 1u);
    EXPECT_EQ(farm->list_workers()[0].status, core::WorkerStatus::offline);
    open();
    EXPECT_EQ(farm->show_worker(w.id)->status, core::WorkerStatus::offline);
}

TEST_F(FarmTest, AStateFolderThatCannotBeOpenedIsAClearError) {
    auto opened = Farm::open(dir.path() / "no-such-folder" / "state.db", clock);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, util::ErrorKind::storage);
}

}  // namespace spotfarm::manager
