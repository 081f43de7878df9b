// The fleet controller against a provider in memory and a clock that moves only when told.
#include "manager/fleet_controller.h"

#include <gtest/gtest.h>

#include "manager/fake_provider.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using providers::WorkerState;
using spotfarm::testing::FakeProvider;

FleetControllerOptions options(int max_workers, int frames_per_worker = 10) {
    FleetControllerOptions o;
    o.bounds.max_workers = max_workers;
    o.bounds.frames_per_worker = frames_per_worker;
    o.bounds.idle_grace = 5min;
    o.bounds.register_timeout = 10min;
    o.refresh_every = 0s;
    o.price = [](const providers::WorkerInstance&) -> std::optional<double> { return 0.5; };
    return o;
}

struct FleetFarm {
    util::FakeClock clock;
    FakeProvider provider{clock};

    // Every live instance's worker is registered, busy or not.
    FarmSnapshot registered(std::int64_t queued, std::int64_t active, bool busy) const {
        FarmSnapshot farm{queued, active, {}};
        for (const auto& instance : provider.instances)
            if (instance.state == WorkerState::running || instance.state == WorkerState::starting)
                farm.workers.push_back({instance.id, busy});
        return farm;
    }
    void boot_all() {
        for (auto& instance : provider.instances)
            if (instance.state == WorkerState::starting) instance.state = WorkerState::running;
    }
    // The stops the provider was asked for take effect.
    void finish_stops() {
        for (auto& instance : provider.instances)
            if (instance.state == WorkerState::stopping) instance.state = WorkerState::stopped;
    }
};

TEST(FleetController, LaunchesWhatTheWorkAsksForWithTheTags) {
    FleetFarm f;
    auto o = options(4);
    o.tags = {{"spotfarm:job", "7"}};
    FleetController controller(f.provider, f.clock, o);
    auto report = controller.tick(f.clock.now(), {100, 0, {}});
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(report.decision.wanted, 4);
    EXPECT_EQ(report.started.size(), 4u);
    ASSERT_EQ(f.provider.requests.size(), 1u);
    EXPECT_EQ(f.provider.requests[0].tags.at("spotfarm:job"), "7");
    EXPECT_FALSE(f.provider.requests[0].request_id.empty());

    // Still booting: nothing more is launched, and the same fleet is seen again.
    f.clock.advance(1s);
    report = controller.tick(f.clock.now(), {100, 0, {}});
    EXPECT_TRUE(report.started.empty());
    EXPECT_EQ(f.provider.requests.size(), 1u);
    EXPECT_EQ(controller.live_count(), 4);
}

TEST(FleetController, ReplacesAnInterruptedInstance) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(3));
    controller.tick(f.clock.now(), {100, 0, {}});
    f.boot_all();
    f.clock.advance(1min);
    controller.tick(f.clock.now(), f.registered(70, 30, true));

    const std::string taken = f.provider.instances[1].id;
    f.provider.set_state(taken, WorkerState::stopped, "Server.SpotInstanceTermination");
    f.clock.advance(1min);
    auto report = controller.tick(f.clock.now(), f.registered(80, 20, true));
    EXPECT_EQ(report.interrupted, std::vector<std::string>{taken});
    EXPECT_EQ(controller.ledger().interruptions(), 1);
    ASSERT_EQ(report.started.size(), 1u);
    EXPECT_EQ(f.provider.instances.size(), 4u);
    bool mentioned = false;
    for (const auto& event : report.events)
        mentioned |= event.find("Server.SpotInstanceTermination") != std::string::npos;
    EXPECT_TRUE(mentioned);
    EXPECT_EQ(controller.live_count(), 3);
}

TEST(FleetController, StopsAndReplacesAnInstanceWhoseWorkerSignedOff) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(3));
    controller.tick(f.clock.now(), {100, 0, {}});
    f.boot_all();
    f.clock.advance(1min);
    controller.tick(f.clock.now(), f.registered(70, 30, true));

    // A rebalance recommendation: the worker finished its frame and signed off; its instance
    // still runs, and would until the register timeout (10 min) without the notice.
    const std::string left = f.provider.instances[1].id;
    f.clock.advance(1s);
    FarmSnapshot farm = f.registered(80, 20, true);
    std::erase_if(farm.workers, [&](const RegisteredWorker& w) { return w.instance_id == left; });
    farm.left_instances = {left};
    auto report = controller.tick(f.clock.now(), farm);
    EXPECT_EQ(report.stopped, std::vector<std::string>{left});
    EXPECT_TRUE(report.interrupted.empty());
    ASSERT_EQ(report.started.size(), 1u);
    EXPECT_EQ(controller.live_count(), 3);
    bool said = false;
    for (const auto& event : report.events)
        said |= event.find("its worker left") != std::string::npos;
    EXPECT_TRUE(said);

    // Told again (a later snapshot repeats it): nothing more happens.
    f.clock.advance(1s);
    report = controller.tick(f.clock.now(), farm);
    EXPECT_TRUE(report.stopped.empty());
    EXPECT_TRUE(report.started.empty());
}

TEST(FleetController, StopsTheFleetAfterTheQueueStayedEmptyForTheGrace) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(2));
    controller.tick(f.clock.now(), {20, 0, {}});
    f.boot_all();
    f.clock.advance(30min);
    controller.tick(f.clock.now(), f.registered(5, 15, true));
    f.clock.advance(30min);

    // The last frames are done, nothing is queued: the grace starts now.
    auto report = controller.tick(f.clock.now(), f.registered(0, 0, false));
    EXPECT_TRUE(report.stopped.empty());
    f.clock.advance(4min);
    report = controller.tick(f.clock.now(), f.registered(0, 0, false));
    EXPECT_TRUE(report.stopped.empty());
    f.clock.advance(1min);
    report = controller.tick(f.clock.now(), f.registered(0, 0, false));
    EXPECT_EQ(report.stopped.size(), 2u);
    EXPECT_EQ(controller.live_count(), 0);
    f.finish_stops();
    f.clock.advance(1min);
    report = controller.tick(f.clock.now(), {0, 0, {}});
    EXPECT_TRUE(report.interrupted.empty());  // asked to stop, so not an interruption
    EXPECT_EQ(controller.ledger().interruptions(), 0);
    EXPECT_TRUE(report.started.empty());
    EXPECT_EQ(f.provider.in_state(WorkerState::stopped).size(), 2u);

    // Two instances from launch to the stop, 65 minutes each, at 0.50 USD an hour.
    const FleetCost cost = controller.cost();
    EXPECT_NEAR(cost.instance_hours, 2 * 65.0 / 60, 1e-9);
    EXPECT_NEAR(cost.usd, 2 * 65.0 / 60 * 0.5, 1e-9);
    EXPECT_TRUE(cost.notes.empty());
}

TEST(FleetController, NewWorkDuringTheGraceKeepsTheFleet) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(2));
    controller.tick(f.clock.now(), {20, 0, {}});
    f.boot_all();
    controller.tick(f.clock.now(), f.registered(0, 0, false));
    f.clock.advance(4min);
    controller.tick(f.clock.now(), f.registered(15, 0, false));  // a new job
    f.clock.advance(2min);
    auto report = controller.tick(f.clock.now(), f.registered(0, 15, true));
    EXPECT_TRUE(report.stopped.empty());
    EXPECT_EQ(controller.live_count(), 2);
}

TEST(FleetController, StopsAnInstanceThatNeverRegistersAndGivesUpAfterThreeInARow) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(1));
    auto report = controller.tick(f.clock.now(), {10, 0, {}});
    ASSERT_EQ(report.started.size(), 1u);
    std::vector<std::string> stopped;
    for (int round = 0; round < 3; ++round) {
        f.boot_all();
        f.clock.advance(9min + 59s);
        report = controller.tick(f.clock.now(), {10, 0, {}});
        EXPECT_TRUE(report.stopped.empty()) << "round " << round;
        f.clock.advance(1s);
        report = controller.tick(f.clock.now(), {10, 0, {}});
        ASSERT_EQ(report.stopped.size(), 1u) << "round " << round;
        stopped.push_back(report.stopped[0]);
        f.finish_stops();
        if (round < 2) {
            EXPECT_EQ(report.started.size(), 1u);  // replaced at once
        } else {
            EXPECT_TRUE(report.started.empty());
            EXPECT_NE(controller.launch_stopped_reason().find("3 instances in a row"),
                      std::string::npos);
            EXPECT_FALSE(report.errors.empty());
        }
    }
    EXPECT_EQ(stopped, (std::vector<std::string>{"w-1", "w-2", "w-3"}));
    f.clock.advance(1h);
    EXPECT_TRUE(controller.tick(f.clock.now(), {10, 0, {}}).started.empty());
    controller.resume_launching();
    EXPECT_EQ(controller.tick(f.clock.now(), {10, 0, {}}).started.size(), 1u);
}

TEST(FleetController, AWorkerThatRegistersResetsTheCountOfFailures) {
    FleetFarm f;
    auto o = options(1);
    o.give_up_after_unregistered = 2;
    FleetController controller(f.provider, f.clock, o);
    controller.tick(f.clock.now(), {10, 0, {}});
    f.clock.advance(10min);
    auto report = controller.tick(f.clock.now(), {10, 0, {}});  // w-1 stopped, w-2 launched
    ASSERT_EQ(report.started.size(), 1u);
    f.finish_stops();
    f.boot_all();
    controller.tick(f.clock.now(), f.registered(10, 0, false));  // w-2 registers
    f.provider.set_state(report.started[0], WorkerState::stopped, "interrupted");
    report = controller.tick(f.clock.now(), {10, 0, {}});  // w-3 replaces it
    ASSERT_EQ(report.started.size(), 1u);
    f.clock.advance(10min);
    report = controller.tick(f.clock.now(), {10, 0, {}});  // w-3 never registered: one, not two
    EXPECT_EQ(report.stopped.size(), 1u);
    EXPECT_EQ(report.started.size(), 1u);
    EXPECT_TRUE(controller.launch_stopped_reason().empty());
}

TEST(FleetController, WaitsLongerAfterEachFailedLaunch) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(2));
    f.provider.fail_start = true;
    auto report = controller.tick(f.clock.now(), {50, 0, {}});
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_NE(report.errors[0].find("trying again in 30 s"), std::string::npos);
    f.clock.advance(29s);
    controller.tick(f.clock.now(), {50, 0, {}});
    EXPECT_EQ(f.provider.requests.size(), 1u);
    f.clock.advance(1s);
    report = controller.tick(f.clock.now(), {50, 0, {}});
    EXPECT_EQ(f.provider.requests.size(), 2u);
    EXPECT_NE(report.errors.at(0).find("trying again in 60 s"), std::string::npos);

    // Capacity comes back, but only for one: the other is tried after a pause.
    f.provider.fail_start = false;
    f.provider.capacity = 1;
    f.clock.advance(60s);
    report = controller.tick(f.clock.now(), {50, 0, {}});
    EXPECT_EQ(report.started.size(), 1u);
    f.clock.advance(1s);
    EXPECT_TRUE(controller.tick(f.clock.now(), {50, 0, {}}).started.empty());
    f.clock.advance(5min);
    EXPECT_EQ(controller.tick(f.clock.now(), {50, 0, {}}).started.size(), 1u);
}

TEST(FleetController, DoesNothingWhileTheProviderCannotBeListed) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(2));
    f.provider.fail_list = true;
    auto report = controller.tick(f.clock.now(), {50, 0, {}});
    EXPECT_FALSE(report.errors.empty());
    EXPECT_TRUE(f.provider.requests.empty());
    f.provider.fail_list = false;
    EXPECT_EQ(controller.tick(f.clock.now(), {50, 0, {}}).started.size(), 2u);
}

TEST(FleetController, ListsTheProviderOnlyWhenDue) {
    FleetFarm f;
    auto o = options(2);
    o.refresh_every = 10s;
    FleetController controller(f.provider, f.clock, o);
    controller.tick(f.clock.now(), {50, 0, {}});  // lists, launches
    controller.tick(f.clock.now(), {50, 0, {}});  // lists again after a launch
    EXPECT_EQ(f.provider.list_calls, 2);
    f.clock.advance(5s);
    controller.tick(f.clock.now(), {50, 0, {}});
    EXPECT_EQ(f.provider.list_calls, 2);
    f.clock.advance(5s);
    controller.tick(f.clock.now(), {50, 0, {}});
    EXPECT_EQ(f.provider.list_calls, 3);
}

TEST(FleetController, ARestartedManagerFindsTheFleetAndLaunchesNoMore) {
    FleetFarm f;
    {
        FleetController first(f.provider, f.clock, options(3));
        first.tick(f.clock.now(), {100, 0, {}});
    }
    f.boot_all();
    f.provider.instances[0].state = WorkerState::stopped;  // gone before the restart
    f.clock.advance(2min);
    FleetController second(f.provider, f.clock, options(3));
    auto report = second.tick(f.clock.now(), f.registered(100, 0, false));
    EXPECT_EQ(report.started.size(), 1u);  // only the one that is gone
    EXPECT_TRUE(report.interrupted.empty());
    EXPECT_EQ(second.live_count(), 3);
    // The two found ones are priced from their launch, 2 minutes ago.
    EXPECT_NEAR(second.cost().instance_hours, 2 * 2.0 / 60, 1e-9);
}

TEST(FleetController, StopAllStopsEveryInstanceAndClosesTheLedger) {
    FleetFarm f;
    FleetController controller(f.provider, f.clock, options(3));
    controller.tick(f.clock.now(), {100, 0, {}});
    f.clock.advance(1h);
    ASSERT_TRUE(controller.stop_all().ok());
    EXPECT_EQ(f.provider.in_state(WorkerState::stopping).size(), 3u);
    f.clock.advance(1h);
    EXPECT_NEAR(controller.cost().instance_hours, 3.0, 1e-9);
    // A job that ran during the second half hour of that hour.
    const auto start = f.clock.wall_now() - 90min;
    EXPECT_NEAR(controller.cost_between(start, start + 30min).usd, 3 * 0.5 * 0.5, 1e-9);
}

}  // namespace
}  // namespace spotfarm::manager
