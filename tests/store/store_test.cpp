#include "store/store.h"

#include <gtest/gtest.h>

#include "core/scheduler.h"
#include "store/test_dir.h"
#include "util/clock.h"

namespace spotfarm::store {
namespace {

using namespace core;

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = Store::open(dir.path() / "state.db");
        ASSERT_TRUE(opened) << opened.error().message;
        store = std::move(opened).value();
    }

    // Runs one transition and commits what it changed.
    template <class Transition>
    auto step(Transition transition) {
        Changes changes;
        auto result = transition(changes);
        auto committed = store->commit(changes, sched);
        EXPECT_TRUE(committed) << (committed ? "" : committed.error().message);
        return result;
    }

    JobId submit(const std::string& frames, int chunk = 1) {
        JobSpec spec{.name = "shot",
                     .scene = "/s.blend",
                     .output = "/o/f_####",
                     .frames = frames,
                     .chunk = chunk,
                     .settings = R"({"samples":4})"};
        return step([&](Changes& c) { return sched.submit(spec, c); }).value();
    }
    WorkerId worker(const std::string& name) {
        WorkerInfo info{.name = name, .host = "h", .cores = 8, .gpus = {"RTX"}, .tags = {"a"}};
        return step([&](Changes& c) { return sched.register_worker(info, "hash-" + name, c); });
    }
    TaskId claim(WorkerId w) {
        return step([&](Changes& c) { return sched.claim(w, {}, c); }).value().value();
    }
    void complete(TaskId t, WorkerId w) {
        std::vector<FrameResult> results;
        for (int f : sched.find_task(t)->frames.frames()) {
            results.push_back({f, "/o/f_" + std::to_string(f), 1.5, 1024});
        }
        ASSERT_TRUE(step([&](Changes& c) { return sched.complete(t, w, results, {}, c); }));
    }

    SchedulerRecords reload() {
        auto records = store->load();
        EXPECT_TRUE(records) << (records ? "" : records.error().message);
        return records ? std::move(records).value() : SchedulerRecords{};
    }

    TestDir dir;
    util::FakeClock clock;
    Scheduler sched{clock};
    std::unique_ptr<Store> store;
};

}  // namespace

TEST_F(StoreTest, WhatIsCommittedLoadsBackAsItWas) {
    JobId j = submit("1-5", 2);
    WorkerId w1 = worker("w1");
    WorkerId w2 = worker("w2");
    TaskId t1 = claim(w1);
    TaskId t2 = claim(w2);
    complete(t1, w1);
    EXPECT_TRUE(step([&](Changes& c) { return sched.fail(t2, w2, "boom", "log", c); }));

    SchedulerRecords records = reload();
    ASSERT_EQ(records.jobs.size(), 1u);
    const Job& job = records.jobs[0].job;
    const Job& live = *sched.find_job(j);
    EXPECT_EQ(job.id, j);
    EXPECT_EQ(job.name, "shot");
    EXPECT_EQ(job.status, JobStatus::active);
    EXPECT_EQ(job.frames.to_string(), "1-5");
    EXPECT_EQ(job.chunk, 2);
    EXPECT_EQ(job.settings, R"({"samples":4})");
    EXPECT_EQ(job.worker_failures, live.worker_failures);
    EXPECT_EQ(job.created_ms, live.created_ms);

    const auto& tasks = records.jobs[0].tasks;
    ASSERT_EQ(tasks.size(), 3u);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const Task& saved = tasks[i];
        const Task& now = sched.tasks_of(j)[i];
        EXPECT_EQ(saved.id, now.id);
        EXPECT_EQ(saved.frames, now.frames);
        EXPECT_EQ(saved.status, now.status);
        EXPECT_EQ(saved.worker, now.worker);
        EXPECT_EQ(saved.attempt, now.attempt);
        EXPECT_EQ(saved.attempts, now.attempts);
        EXPECT_EQ(saved.failed_on, now.failed_on);
    }
    EXPECT_EQ(tasks[0].status, TaskStatus::completed);
    EXPECT_EQ(tasks[1].failed_on, std::vector<WorkerId>{w2});

    ASSERT_EQ(records.workers.size(), 2u);
    EXPECT_EQ(records.workers[0].info.name, "w1");
    EXPECT_EQ(records.workers[0].info.cores, 8);
    EXPECT_EQ(records.workers[0].info.gpus, std::vector<std::string>{"RTX"});
    EXPECT_EQ(records.workers[0].secret_hash, "hash-w1");
    EXPECT_EQ(records.last_attempt, sched.find_task(t2)->attempt);
    EXPECT_GT(records.last_event.value, 0);
}

TEST_F(StoreTest, AttemptsKeepOutcomesErrorsLogsAndFrameResults) {
    submit("1-2");
    WorkerId w = worker("w");
    WorkerId other = worker("other");
    TaskId t1 = claim(w);
    TaskId t2 = claim(w);
    complete(t1, w);
    EXPECT_TRUE(step(
        [&](Changes& c) { return sched.fail(t2, w, "Error: out of memory", "last lines", c); }));

    auto done = store->attempts_of(t1);
    ASSERT_TRUE(done);
    ASSERT_EQ(done->size(), 1u);
    EXPECT_EQ((*done)[0].outcome, AttemptOutcome::completed);
    EXPECT_EQ((*done)[0].worker, w);
    EXPECT_GT((*done)[0].ended_ms, 0);
    ASSERT_EQ((*done)[0].results.size(), 1u);
    EXPECT_EQ((*done)[0].results[0].frame, 1);
    EXPECT_EQ((*done)[0].results[0].output, "/o/f_1");
    EXPECT_DOUBLE_EQ((*done)[0].results[0].render_seconds, 1.5);
    EXPECT_EQ((*done)[0].results[0].peak_memory_bytes, 1024);

    auto failed = store->attempts_of(t2);
    ASSERT_TRUE(failed);
    ASSERT_EQ(failed->size(), 1u);
    EXPECT_EQ((*failed)[0].outcome, AttemptOutcome::failed);
    EXPECT_EQ((*failed)[0].error, "Error: out of memory");
    EXPECT_EQ((*failed)[0].log_tail, "last lines");

    EXPECT_EQ(*store->latest_attempt(t2, w), sched.find_task(t2)->attempt);
    EXPECT_FALSE(*store->latest_attempt(t2, other));
}

TEST_F(StoreTest, EventsComeBackInOrderFromAnId) {
    submit("1");
    worker("w");
    auto all = store->events_since(EventId{}, 100);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].kind, "job.submit");
    EXPECT_EQ((*all)[1].kind, "worker.register");
    auto later = store->events_since((*all)[0].id, 100);
    ASSERT_TRUE(later);
    ASSERT_EQ(later->size(), 1u);
    EXPECT_EQ((*later)[0].id, (*all)[1].id);
    EXPECT_EQ(store->events_since(EventId{}, 1)->size(), 1u);
}

TEST_F(StoreTest, ADeletedJobLeavesNoRows) {
    JobId gone = submit("1-3");
    JobId kept = submit("7");
    WorkerId w = worker("w");
    TaskId t = claim(w);
    ASSERT_TRUE(step([&](Changes& c) { return sched.remove(gone, c); }));
    SchedulerRecords records = reload();
    ASSERT_EQ(records.jobs.size(), 1u);
    EXPECT_EQ(records.jobs[0].job.id, kept);
    EXPECT_TRUE(store->attempts_of(t)->empty());
}

TEST_F(StoreTest, AFailedCommitWritesNothingOfItsTransition) {
    Changes changes;
    JobId j =
        sched.submit({.scene = "/s.blend", .output = "/o/f", .frames = "1-3"}, changes).value();
    // The same job twice breaks its primary key on the second insert.
    changes.inserted_jobs.push_back(j);
    auto committed = store->commit(changes, sched);
    ASSERT_FALSE(committed);
    EXPECT_NE(committed.error().message.find("cannot save"), std::string::npos);
    EXPECT_TRUE(reload().jobs.empty());
    EXPECT_TRUE(store->events_since(EventId{}, 10)->empty());
}

TEST_F(StoreTest, AJobOfManyTasksIsSavedWhole) {
    JobId j = submit("1-20000");
    SchedulerRecords records = reload();
    ASSERT_EQ(records.jobs.size(), 1u);
    ASSERT_EQ(records.jobs[0].tasks.size(), 20000u);
    EXPECT_EQ(records.jobs[0].tasks.back().frames.to_string(), "20000");
    Scheduler restored(clock);
    ASSERT_TRUE(restored.restore(std::move(records)));
    EXPECT_EQ(restored.find_job(j)->count(TaskStatus::queued), 20000);
}

}  // namespace spotfarm::store

namespace spotfarm::store {

TEST(StoreLock, ASecondManagerOnTheSameStateIsRefused) {
    TestDir dir;
    const auto file = dir.path() / "state.db";
    ASSERT_TRUE(Store::open(file));  // an existing database, as after a restart
    auto first = Store::open(file);
    ASSERT_TRUE(first) << first.error().message;
    auto second = Store::open(file);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("another manager"), std::string::npos)
        << second.error().message;
    first->reset();
    EXPECT_TRUE(Store::open(file));
}

}  // namespace spotfarm::store
