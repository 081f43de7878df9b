// The fleet runner's record of when jobs finished, against a farm on a state database, a provider
// in memory and a clock that moves only when told: a job's cost stops where the job finished,
// also for a manager restarted on the same state.
#include "manager/fleet_runner.h"

#include <gtest/gtest.h>

#include "manager/fake_provider.h"
#include "manager/farm.h"
#include "protocol/fleet_summary.h"
#include "support/scratch_dir.h"
#include "util/utc_time.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using providers::WorkerState;
using spotfarm::testing::FakeProvider;

FleetRunnerOptions one_instance_at_a_dollar() {
    FleetRunnerOptions o;
    o.controller.bounds.max_workers = 1;
    o.controller.bounds.frames_per_worker = 1;
    o.controller.refresh_every = 0s;
    o.controller.price = [](const providers::WorkerInstance&) -> std::optional<double> {
        return 1.0;
    };
    return o;
}

TEST(FleetRunner, AFinishedJobsCostStopsWhereItFinishedAlsoAfterARestart) {
    test::ScratchDir dir;
    util::FakeClock clock;
    FakeProvider provider(clock);
    auto farm = Farm::open(dir / "state.db", clock);
    ASSERT_TRUE(farm) << farm.error().message;
    auto job = (*farm)->submit({.name = "shot",
                                .scene = dir.write("shot.blend", "").string(),
                                .output = (dir / "out" / "####").string(),
                                .frames = "1-3"});
    ASSERT_TRUE(job) << job.error().message;
    const std::int64_t created_ms = (*farm)->show_job(*job)->summary.created_ms;
    auto job_hours = [&](FleetRunner& runner) {
        return runner.job_cost_json(*job, created_ms)["instance_hours"].get<double>();
    };

    {
        FleetRunner runner(provider, clock, one_instance_at_a_dollar());
        runner.tick(farm_snapshot(**farm));
        ASSERT_EQ(provider.instances.size(), 1u);
        clock.advance(1h);
        ASSERT_TRUE((*farm)->cancel(*job));  // the job ends an hour into the instance's life
        runner.note_finished_jobs(**farm);
        clock.advance(1h);  // the instance stays up, for the next job
        EXPECT_NEAR(job_hours(runner), 1.0, 0.01);
    }

    // The manager restarts on the same state and finds the instance still running.
    (*farm).reset();
    farm = Farm::open(dir / "state.db", clock);
    ASSERT_TRUE(farm) << farm.error().message;
    FleetRunner again(provider, clock, one_instance_at_a_dollar());
    again.tick(farm_snapshot(**farm));
    again.note_finished_jobs(**farm);
    clock.advance(1h);
    EXPECT_NEAR(job_hours(again), 1.0, 0.01);
    EXPECT_NEAR(again.cost().instance_hours, 3.0, 0.01) << "the fleet's own cost runs on";
}

TEST(FleetRunner, TheFleetJsonHasLaunchTimesDetailsAndInterruptions) {
    util::FakeClock clock;
    FakeProvider provider(clock);
    FleetRunnerOptions options = one_instance_at_a_dollar();
    options.controller.bounds.max_workers = 2;
    FleetRunner runner(provider, clock, options);
    runner.tick({.queued_frames = 2});
    ASSERT_EQ(provider.instances.size(), 2u);
    const std::string launched = util::format_iso8601_utc(clock.wall_now());
    provider.instances[0].detail = "RUNNING";
    clock.advance(1min);
    runner.tick({.queued_frames = 2});

    nlohmann::json fleet = runner.fleet_json();
    ASSERT_EQ(fleet["instances"].size(), 2u);
    EXPECT_EQ(fleet["instances"][0]["detail"], "RUNNING");
    EXPECT_EQ(fleet["instances"][1]["detail"], "") << "no word from the provider: empty";
    EXPECT_EQ(fleet["instances"][0]["launched_at"], launched);
    EXPECT_EQ(fleet["interruptions"], 0);

    // The cloud takes one back: counted by the manager, with the provider's last word on it.
    provider.set_state(provider.instances[1].id, WorkerState::stopped, "reclaimed");
    provider.instances[1].detail = "TIMEOUT 0:0";
    clock.advance(1min);
    runner.tick({.queued_frames = 2});
    fleet = runner.fleet_json();
    EXPECT_EQ(fleet["interruptions"], 1);
    EXPECT_EQ(fleet["instances"][1]["detail"], "TIMEOUT 0:0");
    EXPECT_EQ(fleet["instances"][1]["running"], false);
    auto read = protocol::from_json<protocol::FleetSummary>(fleet);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->interruptions, 1);
}

}  // namespace
}  // namespace spotfarm::manager
