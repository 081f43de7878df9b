// The worker's side of the API against a real manager: register, long-poll claim woken by a
// submit, progress, complete, fail and retry, drain, cancel.
#include <chrono>
#include <future>
#include <thread>

#include "manager/routes_fixture.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST_F(RoutesTest, FullWorkerCycleWithALongPollWokenBySubmit) {
    TestWorker w = register_worker("w1");
    ASSERT_GT(w.id, 0);
    ASSERT_FALSE(w.secret.empty());

    // The claim waits: no work yet. A submit from another thread wakes it.
    const auto asked = std::chrono::steady_clock::now();
    auto waiting = std::async(std::launch::async, [&] { return claim(w, 20); });
    EXPECT_EQ(waiting.wait_for(300ms), std::future_status::timeout) << "the claim did not wait";
    std::int64_t job = submit("1-2");
    Answer first = waiting.get();
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 10s);
    ASSERT_EQ(first.status, 200) << first.text;
    EXPECT_EQ(first.body["job_id"], job);
    EXPECT_EQ(first.body["frames"], "1");
    EXPECT_EQ(first.body["job"]["scene"], "/scenes/shot.blend");
    EXPECT_EQ(first.body["job"]["output"], "/out/shot/frame_####");
    EXPECT_EQ(first.body["job"]["samples"], 4);
    EXPECT_GE(first.body["lease_seconds"].get<int>(), 1);

    Answer beat = progress(w, first.body);
    ASSERT_EQ(beat.status, 200) << beat.text;
    EXPECT_EQ(beat.body["action"], "continue");
    EXPECT_GE(beat.body["lease_seconds"].get<int>(), 1);

    // People see the task in progress with its log.
    std::int64_t task = first.body["task_id"];
    Answer shown = get("/tasks/" + std::to_string(task), people());
    ASSERT_EQ(shown.status, 200) << shown.text;
    EXPECT_EQ(shown.body["status"], "active");
    EXPECT_EQ(shown.body["log_tail"], "Fra:1 Sample 2/4\n");

    Answer done = complete(w, first.body);
    ASSERT_EQ(done.status, 200) << done.text;
    EXPECT_EQ(done.body["outcome"], "accepted");
    // A repeat of the same report is answered 200 again and counts nothing.
    Answer again = complete(w, first.body);
    ASSERT_EQ(again.status, 200) << again.text;
    EXPECT_EQ(again.body["outcome"], "already_accepted");

    EXPECT_EQ(job_status(job), "active");
    EXPECT_EQ(finish_all(w), 1);
    EXPECT_EQ(job_status(job), "completed");
    Answer detail = get("/jobs/" + std::to_string(job), people());
    EXPECT_EQ(detail.body["frames_by_status"]["completed"], "1-2");
    EXPECT_EQ(detail.body["frames_done"], 2);
}

TEST_F(RoutesTest, AClaimWithNothingToDoAnswers204WhenItsWaitIsOver) {
    TestWorker w = register_worker("idle");
    const auto asked = std::chrono::steady_clock::now();
    Answer a = claim(w, 0.5);
    EXPECT_EQ(a.status, 204) << a.text;
    EXPECT_GE(std::chrono::steady_clock::now() - asked, 400ms);
}

TEST_F(RoutesTest, ClosedClaimsAnswerNoWorkAtOnceEvenWithWorkQueued) {
    TestWorker w = register_worker("leaving");
    auto waiting = std::async(std::launch::async, [&] { return claim(w, 20); });
    EXPECT_EQ(waiting.wait_for(300ms), std::future_status::timeout) << "the claim did not wait";
    manager->close_claims();
    ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready) << "the waiting claim was kept";
    EXPECT_EQ(waiting.get().status, 204);
    submit("1");
    Answer later = claim(w, 20);
    EXPECT_EQ(later.status, 204) << "a closed farm handed out work: " << later.text;
}

TEST_F(RoutesTest, AFailedTaskMovesToAnotherWorkerAndFailsAfterThreeDistinctWorkers) {
    TestWorker a = register_worker("a");
    TestWorker b = register_worker("b");
    TestWorker c = register_worker("c");
    std::int64_t job = submit("7");

    Answer first = claim(a);
    ASSERT_EQ(first.status, 200) << first.text;
    Answer failed = fail(a, first.body, "CUDA error: out of memory");
    ASSERT_EQ(failed.status, 200) << failed.text;
    EXPECT_EQ(failed.body["outcome"], "retrying");
    // The worker that failed it does not get it again; another one does.
    EXPECT_EQ(claim(a).status, 204);
    Answer second = claim(b);
    ASSERT_EQ(second.status, 200) << second.text;
    EXPECT_EQ(second.body["task_id"], first.body["task_id"]);
    EXPECT_EQ(fail(b, second.body, "Segmentation fault").body["outcome"], "retrying");
    Answer third = claim(c);
    ASSERT_EQ(third.status, 200) << third.text;
    EXPECT_EQ(fail(c, third.body, "cannot save").body["outcome"], "failed");

    EXPECT_EQ(job_status(job), "failed");
    std::int64_t task = first.body["task_id"];
    Answer shown = get("/tasks/" + std::to_string(task), people());
    ASSERT_EQ(shown.status, 200) << shown.text;
    EXPECT_EQ(shown.body["status"], "failed");
    ASSERT_EQ(shown.body["attempt_list"].size(), 3u);
    EXPECT_EQ(shown.body["attempt_list"][2]["error"], "cannot save");
    EXPECT_EQ(shown.body["attempt_list"][2]["log_tail"], "Fra:1 ... cannot save");
    EXPECT_EQ(shown.body["failed_on"].size(), 3u);

    // Requeue forgets the failures: the first worker may take the task again.
    Answer requeued = post("/jobs/" + std::to_string(job) + "/requeue", json::object(), people());
    ASSERT_EQ(requeued.status, 200) << requeued.text;
    Answer again = claim(a);
    ASSERT_EQ(again.status, 200) << again.text;
    EXPECT_EQ(again.body["task_id"], first.body["task_id"]);
    EXPECT_EQ(complete(a, again.body).status, 200);
    EXPECT_EQ(job_status(job), "completed");
}

TEST_F(RoutesTest, DrainReturnsTheWorkersTasksAtOnce) {
    TestWorker leaving = register_worker("spot");
    TestWorker other = register_worker("steady");
    submit("1");
    Answer held = claim(leaving);
    ASSERT_EQ(held.status, 200) << held.text;
    EXPECT_EQ(claim(other).status, 204);

    Answer drained =
        post("/workers/" + std::to_string(leaving.id) + "/drain",
             {{"reason", "spot-interruption"}, {"return_tasks", true}}, leaving.secret);
    ASSERT_EQ(drained.status, 200) << drained.text;
    EXPECT_EQ(drained.body["returned_tasks"], json::array({held.body["task_id"]}));
    // Another worker gets the task at once, without waiting for the lease.
    Answer taken = claim(other);
    ASSERT_EQ(taken.status, 200) << taken.text;
    EXPECT_EQ(taken.body["task_id"], held.body["task_id"]);
    // The drained worker gets nothing more.
    submit("2");
    EXPECT_EQ(claim(leaving).status, 204);
    Answer signed_off = post("/workers/" + std::to_string(leaving.id) + "/sign-off",
                             {{"reason", "spot-interruption"}}, leaving.secret);
    EXPECT_EQ(signed_off.status, 200) << signed_off.text;
    Answer shown = get("/workers/" + std::to_string(leaving.id), people());
    EXPECT_EQ(shown.body["status"], "offline");
}

TEST_F(RoutesTest, ReleaseQueuesTheTaskAgainWithoutCountingAFailure) {
    TestWorker a = register_worker("a");
    TestWorker b = register_worker("b");
    submit("3");
    Answer held = claim(a);
    ASSERT_EQ(held.status, 200) << held.text;
    std::int64_t task = held.body["task_id"];
    Answer released = post("/tasks/" + std::to_string(task) + "/release",
                           {{"worker_id", a.id},
                            {"attempt_id", held.body["attempt_id"]},
                            {"reason", "shutdown"},
                            {"frames", json::array()}},
                           a.secret);
    ASSERT_EQ(released.status, 200) << released.text;
    EXPECT_EQ(released.body["released"], true);
    Answer taken = claim(b);
    ASSERT_EQ(taken.status, 200) << taken.text;
    EXPECT_EQ(get("/tasks/" + std::to_string(task), people()).body["failed_on"].size(), 0u);
}

TEST_F(RoutesTest, ASilentWorkersTaskGoesToAWaitingWorkerWhenItsLeaseRunsOut) {
    manager.reset();
    clock = &fake_clock;
    reap_interval = 10ms;
    start();
    TestWorker silent = register_worker("silent");
    TestWorker other = register_worker("other");
    submit("1");
    Answer held = claim(silent);
    ASSERT_EQ(held.status, 200) << held.text;
    EXPECT_EQ(claim(other).status, 204);

    auto waiting = std::async(std::launch::async, [&] { return claim(other, 20); });
    EXPECT_EQ(waiting.wait_for(100ms), std::future_status::timeout);
    fake_clock.advance(lease_timeout + 1s);
    Answer taken = waiting.get();
    ASSERT_EQ(taken.status, 200) << taken.text;
    EXPECT_EQ(taken.body["task_id"], held.body["task_id"]);
    // The silent worker, back, is told its task went to another.
    Answer late = progress(silent, held.body);
    EXPECT_EQ(late.body["action"], "stop");
    EXPECT_EQ(late.body["reason"], "reassigned");
}

TEST_F(RoutesTest, CancelTellsTheWorkerToStopInItsProgressAnswer) {
    TestWorker w = register_worker("w");
    std::int64_t job = submit("1-3");
    Answer held = claim(w);
    ASSERT_EQ(held.status, 200) << held.text;
    Answer canceled = post("/jobs/" + std::to_string(job) + "/cancel", json::object(), people());
    ASSERT_EQ(canceled.status, 200) << canceled.text;
    EXPECT_EQ(canceled.body["status"], "canceled");
    Answer beat = progress(w, held.body);
    ASSERT_EQ(beat.status, 200) << beat.text;
    EXPECT_EQ(beat.body["action"], "stop");
    EXPECT_EQ(beat.body["reason"], "canceled");
    EXPECT_EQ(claim(w).status, 204);
}

TEST_F(RoutesTest, PauseResumeListAndDeleteAJob) {
    TestWorker w = register_worker("w");
    std::int64_t job = submit("1-2");
    const std::string base = "/jobs/" + std::to_string(job);
    EXPECT_EQ(post(base + "/pause", json::object(), people()).body["status"], "paused");
    EXPECT_EQ(claim(w).status, 204);
    // Resuming wakes a waiting claim.
    auto waiting = std::async(std::launch::async, [&] { return claim(w, 20); });
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(post(base + "/resume", json::object(), people()).status, 200);
    Answer woken = waiting.get();
    ASSERT_EQ(woken.status, 200) << woken.text;
    EXPECT_EQ(complete(w, woken.body).status, 200);
    EXPECT_EQ(finish_all(w), 1);
    EXPECT_EQ(job_status(job), "completed");

    Answer tasks = get(base + "/tasks?status=completed", people());
    ASSERT_EQ(tasks.status, 200) << tasks.text;
    EXPECT_EQ(tasks.body["tasks"].size(), 2u);
    Answer removed = call("DELETE", base, "", people());
    EXPECT_EQ(removed.status, 200) << removed.text;
    EXPECT_EQ(get(base, people()).status, 404);
}

TEST_F(RoutesTest, EventsAreListedAfterAnIdAndALongPollWaitsForTheNext) {
    Answer all = get("/events?after=0", people());
    ASSERT_EQ(all.status, 200) << all.text;
    std::int64_t last = all.body["last"];
    auto waiting = std::async(std::launch::async, [&] {
        return get("/events?wait=20&after=" + std::to_string(last), people());
    });
    std::this_thread::sleep_for(200ms);
    submit("1");
    Answer next = waiting.get();
    ASSERT_EQ(next.status, 200) << next.text;
    ASSERT_FALSE(next.body["events"].empty());
    EXPECT_EQ(next.body["events"][0]["kind"], "job.submit");
    EXPECT_GT(next.body["last"].get<std::int64_t>(), last);
}

}  // namespace
}  // namespace spotfarm::manager
