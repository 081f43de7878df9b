// Workers that go away mid-frame: killed without a word (kill -9), their task comes back when the
// lease runs out and another worker renders it; asked to leave (SIGTERM), they give their task
// back at once and exit 0.

#include <signal.h>

#include <algorithm>

#include "reliability_helpers.h"

namespace spotfarm::test {
class WorkerLossTest : public FarmTest {
protected:
    // The task of `job` that `worker` is rendering a frame of, or null.
    json rendering_task(std::int64_t job, std::int64_t worker) {
        for (const auto& t : rendering_tasks(job)) {
            if (t.value("worker", json()) == json(worker)) return t;
        }
        return nullptr;
    }

    std::int64_t registered(const std::string& name) {
        std::int64_t id = 0;
        EXPECT_TRUE(wait_for([&] { return (id = worker_id(name)) != 0; }, 60s)) << logs();
        return id;
    }
};

TEST_F(WorkerLossTest, KilledWorkersTaskReturnsWhenItsLeaseRunsOutAndAnotherWorkerFinishesIt) {
    start_manager(3);
    start_worker();
    start_worker();
    const std::int64_t job = submit("busy_tiny", "1-4");
    const std::int64_t w1 = registered("w1");
    const std::int64_t w2 = registered("w2");

    json victim;
    ASSERT_TRUE(wait_for([&] { return !(victim = rendering_task(job, w1)).is_null(); }, 120s))
        << "w1 never got to render a frame\n"
        << logs();
    const std::vector<pid_t> blenders = children_of(worker(0).pid());
    ASSERT_FALSE(blenders.empty()) << "w1 renders with no Blender child";
    auto killed = worker(0).stop(SIGKILL, 10s);
    ASSERT_TRUE(killed && killed->signal == SIGKILL);

    // Its Blender must not render on for no one (or leave a half-written frame behind).
    EXPECT_TRUE(
        wait_for([&] { return std::none_of(blenders.begin(), blenders.end(), alive); }, 10s))
        << "the killed worker's Blender is still running";

    ASSERT_TRUE(wait_for([&] { return job_status(job) == "completed"; }, 150s)) << logs();
    const json detail = task(victim.value("id", std::int64_t{0}));
    const auto outcomes = attempt_outcomes(detail);
    EXPECT_EQ(outcomes.count("lease_expired") ? outcomes.at("lease_expired") : 0, 1)
        << detail.dump(2);
    EXPECT_EQ(outcomes.count("completed") ? outcomes.at("completed") : 0, 1) << detail.dump(2);
    EXPECT_EQ(detail.value("worker", json()), json(w2)) << detail.dump(2);

    expect_frames_on_disk({1, 2, 3, 4});
    EXPECT_EQ(list_dir(m_dir / "out").size(), 4u) << "a frame on disk twice";
}

TEST_F(WorkerLossTest, SigtermedWorkerGivesItsTaskBackAtOnceAndExitsZero) {
    // A lease far longer than anything here waits: the task must come back without it.
    start_manager(120);
    start_worker();
    // Three frames per task: the worker is stopped between frames 1 and 3 of its task.
    const std::int64_t job = submit("busy_tiny", "1-6", false, 3);
    const std::int64_t w1 = registered("w1");
    ASSERT_TRUE(wait_for([&] { return std::filesystem::exists(frame_path(1)); }, 120s)) << logs();

    const auto asked = std::chrono::steady_clock::now();
    auto status = worker(0).stop(SIGTERM, 30s);
    const auto took = std::chrono::steady_clock::now() - asked;
    ASSERT_TRUE(status) << "the worker did not leave\n" << logs();
    EXPECT_EQ(status->code, 0) << logs();
    EXPECT_LT(took, 25s);

    // Back in the queue as the worker left, not when the lease would have run out.
    const json first = tasks(job).at(0);
    EXPECT_EQ(first.value("status", ""), "queued") << first.dump(2);
    const auto outcomes = attempt_outcomes(task(first.value("id", std::int64_t{0})));
    EXPECT_EQ(outcomes.count("released") ? outcomes.at("released") : 0, 1) << first.dump(2);
    auto [code, w] = api("GET", "/workers/" + std::to_string(w1));
    EXPECT_EQ(w.value("status", ""), "offline") << w.dump();
}

}  // namespace spotfarm::test
