#include "providers/slurm/slurm_provider.h"

#include <gtest/gtest.h>

#include "providers/slurm/queue_listing.h"
#include "support/recording_runner.h"
#include "support/scratch_dir.h"
#include "util/text_file.h"

namespace spotfarm::providers::slurm {
namespace {

using test::RecordingRunner;

class SlurmProviderTest : public ::testing::Test {
protected:
    SlurmProviderTest() {
        SlurmOptions o;
        o.fleet_id = "f1";
        o.partition = "render";
        o.time_limit = "30";
        o.worker_command = {"spotfarm", "worker", "--manager", "http://m:8420"};
        o.env = {{"SPOTFARM_JOIN_TOKEN", "secret"}};
        o.work_dir = dir.path();
        provider = std::make_unique<SlurmProvider>(runner, clock, o);
    }

    std::vector<WorkerInstance> listed() {
        auto workers = provider->list_workers();
        EXPECT_TRUE(workers) << workers.error().message;
        return workers ? *workers : std::vector<WorkerInstance>{};
    }

    test::ScratchDir dir;
    RecordingRunner runner;
    util::FakeClock clock;
    std::unique_ptr<SlurmProvider> provider;
};

TEST_F(SlurmProviderTest, ScaleUpIsOneArrayWithTheTokenInTheEnvironment) {
    runner.answer("sbatch", 0, "4711\n");
    auto started = provider->start_workers({.count = 3, .tags = {{"spotfarm:job", "7"}}});
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_EQ(started->started.size(), 3u);
    EXPECT_EQ(started->started[0].id, "4711_0");
    EXPECT_EQ(started->started[2].id, "4711_2");
    EXPECT_EQ(started->started[1].state, WorkerState::starting);
    EXPECT_EQ(started->started[1].tags.at("spotfarm:job"), "7");
    EXPECT_EQ(started->started[1].tags.at("spotfarm:fleet"), "f1");

    const auto calls = runner.calls_of("sbatch");
    ASSERT_EQ(calls.size(), 1u);
    ASSERT_EQ(calls[0].argv.size(), 3u);
    EXPECT_EQ(calls[0].argv[1], "--parsable");
    auto script = util::read_text_file(calls[0].argv[2]);
    ASSERT_TRUE(script);
    EXPECT_NE(script->find("#SBATCH --array=0-2\n"), std::string::npos);
    EXPECT_NE(script->find("#SBATCH --time=30\n"), std::string::npos);
    EXPECT_EQ(script->find("secret"), std::string::npos) << "the token must not be in the script";
    ASSERT_EQ(calls[0].env.size(), 1u);
    EXPECT_EQ(calls[0].env[0].second, "secret");
}

TEST_F(SlurmProviderTest, ARepeatedRequestSubmitsNothingNew) {
    runner.answer("sbatch", 0, "12;cluster\n");
    ASSERT_TRUE(provider->start_workers({.count = 1, .request_id = "r1"}));
    auto again = provider->start_workers({.count = 1, .request_id = "r1"});
    ASSERT_TRUE(again);
    ASSERT_EQ(again->started.size(), 1u);
    EXPECT_EQ(again->started[0].id, "12_0");
    EXPECT_EQ(runner.calls_of("sbatch").size(), 1u);
}

TEST_F(SlurmProviderTest, ARefusedSubmissionSaysWhy) {
    runner.answer("sbatch", 1, "sbatch: error: invalid partition specified: render\n");
    auto started = provider->start_workers({.count = 2});
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("invalid partition"), std::string::npos);
    runner.refuse("sbatch");
    started = provider->start_workers({.count = 2});
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("on PATH"), std::string::npos);
}

TEST_F(SlurmProviderTest, ListsTheQueueAndNotesDepartures) {
    runner.answer("sbatch", 0, "50\n");
    ASSERT_TRUE(provider->start_workers({.count = 2}));
    runner.answer("squeue", 0,
                  "50_0|RUNNING|node1|render|2026-12-05T10:00:00|None\n"
                  "50_1|PENDING|(null)|render|N/A|Resources\n");
    auto workers = listed();
    ASSERT_EQ(workers.size(), 2u);
    EXPECT_EQ(workers[0].state, WorkerState::running);
    EXPECT_EQ(workers[0].address, "node1");
    EXPECT_EQ(workers[1].state, WorkerState::starting);
    EXPECT_EQ(workers[1].reason, "PENDING (Resources)");
    const auto squeue = runner.calls_of("squeue").at(0).argv;
    EXPECT_EQ(squeue, (std::vector<std::string>{"squeue", "-h", "-r", "-n", "spotfarm-f1", "-o",
                                                std::string(k_squeue_format)}));
    EXPECT_TRUE(runner.calls_of("sacct").empty()) << "nothing left the queue yet";

    // 50_0 ran out of time; sacct says so.
    runner.answer("squeue", 0, "50_1|RUNNING|node2|render|2026-12-05T10:01:00|None\n");
    runner.answer("sacct", 0, "50_0|TIMEOUT|0:0\n");
    workers = listed();
    ASSERT_EQ(workers.size(), 2u);
    EXPECT_EQ(workers[0].state, WorkerState::stopped);
    EXPECT_EQ(workers[0].reason, "TIMEOUT 0:0");
    EXPECT_EQ(workers[0].detail, "TIMEOUT 0:0") << "sacct's final state, for the fleet view";
    EXPECT_EQ(runner.calls_of("sacct").at(0).argv.back(), "50_0");

    // Without accounting storage sacct fails: the task is still gone.
    runner.answer("squeue", 0, "");
    runner.answer("sacct", 1, "sacct: error: Slurm accounting storage is disabled\n");
    workers = listed();
    EXPECT_EQ(workers[1].state, WorkerState::stopped);
    EXPECT_EQ(workers[1].reason, "left the Slurm queue");
}

TEST_F(SlurmProviderTest, FindsItsFleetAgainFromTheQueue) {
    runner.answer("squeue", 0, "77_3|RUNNING|node1|render|2026-12-05T10:00:00|None\n");
    auto workers = listed();
    ASSERT_EQ(workers.size(), 1u);
    EXPECT_EQ(workers[0].id, "77_3");
    EXPECT_EQ(workers[0].tags.at("spotfarm:fleet"), "f1");
    EXPECT_TRUE(provider->stop_workers({"77_3"}));
}

TEST_F(SlurmProviderTest, AFailingSqueueIsAnError) {
    runner.answer("squeue", 1, "slurm_load_jobs error: Unable to contact slurm controller\n");
    auto workers = provider->list_workers();
    ASSERT_FALSE(workers);
    EXPECT_EQ(workers.error().kind, util::ErrorKind::unavailable);
    EXPECT_NE(workers.error().message.find("Unable to contact"), std::string::npos);
}

TEST_F(SlurmProviderTest, ScalesDownWithScancelOfItsOwnTasksOnly) {
    runner.answer("sbatch", 0, "60\n");
    ASSERT_TRUE(provider->start_workers({.count = 2}));
    auto refused = provider->stop_workers({"60_0", "99_0"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, util::ErrorKind::not_found);
    EXPECT_TRUE(runner.calls_of("scancel").empty());

    ASSERT_TRUE(provider->stop_workers({"60_1"}));
    EXPECT_EQ(runner.calls_of("scancel").at(0).argv, (std::vector<std::string>{"scancel", "60_1"}));
    runner.answer("squeue", 0,
                  "60_0|RUNNING|node1|render|2026-12-05T10:00:00|None\n"
                  "60_1|COMPLETING|node1|render|2026-12-05T10:00:00|None\n");
    EXPECT_EQ(listed()[1].state, WorkerState::stopping);

    ASSERT_TRUE(provider->stop_all());
    EXPECT_EQ(runner.calls_of("scancel").at(1).argv,
              (std::vector<std::string>{"scancel", "-n", "spotfarm-f1"}));
}

TEST_F(SlurmProviderTest, CountsNodeHoursWithoutAPrice) {
    runner.answer("sbatch", 0, "70\n");
    ASSERT_TRUE(provider->start_workers({.count = 1}));
    auto cost = provider->cost_so_far();
    ASSERT_TRUE(cost);
    EXPECT_EQ(cost->usd, 0);
    EXPECT_EQ(cost->instance_hours, 0) << "a pending task has not started";
}

}  // namespace
}  // namespace spotfarm::providers::slurm
