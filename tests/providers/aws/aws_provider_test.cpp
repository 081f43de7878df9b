// The AWS provider's RunInstances path against the EC2 stand-in over real HTTP: Spot first,
// on-demand when Spot capacity is refused, the fleet found again by its tag, only its own
// instances stopped, costs. aws_provider_fleet_test.cpp tests the EC2 Fleet path.
#include "providers/aws/aws_provider.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/fake_ec2.h"
#include "support/recording_sleeper.h"

namespace spotfarm::providers::aws {
namespace {

using namespace std::chrono_literals;
using spotfarm::testing::fails_mentioning;
using spotfarm::testing::FakeEc2;

struct Cloud {
    Cloud() : ec2({.region = "eu-west-1", .clock = &clock}), keys(ec2.credentials()) {
        client = Ec2Client::create({http, keys, clock, sleeper},
                                   {.region = "eu-west-1", .endpoint = ec2.endpoint()})
                     .value();
    }

    AwsFleetOptions fleet(const std::string& id) const {
        AwsFleetOptions options;
        options.fleet_id = id;
        options.image_id = "ami-0fedcba9876543210";
        options.instance_types = {"c7i.4xlarge", "c6i.4xlarge"};
        options.security_group_ids = {"sg-0123abcd"};
        options.user_data = "#cloud-config\n";
        options.on_demand_usd_per_hour = {{"c7i.4xlarge", 0.714}};
        options.launch_api = LaunchApi::run_instances;
        return options;
    }

    util::FakeClock clock;
    FakeEc2 ec2;
    util::CurlHttpClient http;
    StaticCredentialsProvider keys;
    spotfarm::testing::RecordingSleeper sleeper;
    std::unique_ptr<Ec2Client> client;
};

TEST(AwsProvider, StartsSpotWorkersTaggedForTheFleet) {
    Cloud cloud;
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    auto started = provider.start_workers({.count = 3, .tags = {{"spotfarm:job", "42"}}});
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_EQ(started->started.size(), 3u);
    EXPECT_TRUE(started->notes.empty());
    const WorkerInstance& worker = started->started[0];
    EXPECT_EQ(worker.state, WorkerState::starting);
    EXPECT_EQ(worker.kind, "c7i.4xlarge");
    EXPECT_TRUE(worker.interruptible);
    EXPECT_EQ(worker.tags.at("spotfarm:fleet"), "job-42");
    EXPECT_EQ(worker.tags.at("spotfarm:job"), "42");
    EXPECT_EQ(worker.tags.at("Name"), "spotfarm-worker job-42");
    EXPECT_EQ(cloud.ec2.instances().at(0).user_data, "#cloud-config\n");
}

TEST(AwsProvider, FallsBackToOtherTypesThenOnDemand) {
    Cloud cloud;
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    cloud.ec2.fail_next("RunInstances", 500, "InsufficientInstanceCapacity", "none left", 1);
    auto second_type = provider.start_workers({.count = 1});
    ASSERT_TRUE(second_type.ok()) << second_type.error().message;
    EXPECT_EQ(second_type->started.at(0).kind, "c6i.4xlarge");
    EXPECT_TRUE(second_type->started.at(0).interruptible);

    cloud.ec2.fail_next("RunInstances", 500, "InsufficientInstanceCapacity", "none left", 1);
    cloud.ec2.fail_next("RunInstances", 400, "MaxSpotInstanceCountExceeded", "quota", 1);
    auto on_demand = provider.start_workers({.count = 2});
    ASSERT_TRUE(on_demand.ok()) << on_demand.error().message;
    ASSERT_EQ(on_demand->started.size(), 2u);
    EXPECT_FALSE(on_demand->started[0].interruptible);
    EXPECT_EQ(on_demand->started[0].kind, "c7i.4xlarge");
    ASSERT_EQ(on_demand->notes.size(), 2u);
    EXPECT_EQ(on_demand->notes[0],
              "no Spot capacity for c7i.4xlarge: InsufficientInstanceCapacity");
    EXPECT_EQ(on_demand->notes[1],
              "no Spot capacity for c6i.4xlarge: MaxSpotInstanceCountExceeded");

    AwsFleetOptions spot_only = cloud.fleet("spot-only");
    spot_only.on_demand_fallback = false;
    AwsProvider strict(*cloud.client, cloud.clock, spot_only);
    cloud.ec2.fail_next("RunInstances", 500, "InsufficientInstanceCapacity", "none left", 2);
    EXPECT_TRUE(fails_mentioning(strict.start_workers({.count = 1}),
                                 "EC2 started no worker; no Spot capacity for c7i.4xlarge"));
}

TEST(AwsProvider, SameRequestIdStartsNothingTwice) {
    Cloud cloud;
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    auto first = provider.start_workers({.count = 2, .request_id = "scale-7"});
    auto again = provider.start_workers({.count = 2, .request_id = "scale-7"});
    ASSERT_TRUE(first.ok() && again.ok());
    EXPECT_EQ(first->started[1].id, again->started[1].id);
    EXPECT_EQ(cloud.ec2.instances().size(), 2u);
}

TEST(AwsProvider, FindsItsFleetAgainAndStopsOnlyItsOwn) {
    Cloud cloud;
    AwsProvider other(*cloud.client, cloud.clock, cloud.fleet("someone-else"));
    ASSERT_TRUE(other.start_workers({.count = 1}).ok());
    std::string foreign = cloud.ec2.instances().at(0).id;
    {
        AwsProvider first_manager(*cloud.client, cloud.clock, cloud.fleet("job-42"));
        ASSERT_TRUE(first_manager.start_workers({.count = 3}).ok());
    }
    // A new process (the manager restarted, or `cloud down`) finds the fleet by its tag.
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    auto workers = provider.list_workers();
    ASSERT_TRUE(workers.ok()) << workers.error().message;
    ASSERT_EQ(workers->size(), 3u);
    for (const auto& worker : *workers) EXPECT_NE(worker.id, foreign);

    EXPECT_TRUE(fails_mentioning(provider.stop_workers({workers->at(0).id, foreign}),
                                 "is not in fleet job-42"));
    EXPECT_TRUE(provider.stop_workers({workers->at(0).id}).ok());
    ASSERT_TRUE(provider.stop_all().ok());
    for (const auto& instance : cloud.ec2.instances())
        EXPECT_EQ(
            instance.state == InstanceState::running || instance.state == InstanceState::pending,
            instance.id == foreign)
            << instance.id;
    workers = provider.list_workers();
    ASSERT_TRUE(workers.ok());
    for (const auto& worker : *workers)
        EXPECT_TRUE(worker.state == WorkerState::stopping || worker.state == WorkerState::stopped);
    workers = provider.list_workers();  // the stand-in finishes terminations between looks
    ASSERT_TRUE(workers.ok());
    for (const auto& worker : *workers) EXPECT_EQ(worker.state, WorkerState::stopped);
    EXPECT_TRUE(provider.stop_all().ok());  // nothing left to stop is fine
}

TEST(AwsProvider, CostFromSpotPricesAndTheOnDemandTable) {
    Cloud cloud;
    cloud.ec2.set_spot_price("c7i.4xlarge", "eu-west-1a", 0.25);
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    ASSERT_TRUE(provider.start_workers({.count = 2}).ok());
    AwsFleetOptions on_demand = cloud.fleet("job-42");
    on_demand.spot = false;
    on_demand.instance_types = {"c7i.4xlarge", "c6i.4xlarge"};
    AwsProvider od(*cloud.client, cloud.clock, on_demand);
    ASSERT_TRUE(od.start_workers({.count = 1}).ok());

    cloud.clock.advance(2h);
    auto cost = provider.cost_so_far();
    ASSERT_TRUE(cost.ok()) << cost.error().message;
    EXPECT_NEAR(cost->instance_hours, 6.0, 1e-6);
    EXPECT_NEAR(cost->usd, 2 * 2 * 0.25 + 2 * 0.714, 1e-6);
    EXPECT_TRUE(cost->notes.empty());

    ASSERT_TRUE(provider.stop_all().ok());
    cloud.clock.advance(5h);  // stopped instances cost nothing more
    cost = provider.cost_so_far();
    ASSERT_TRUE(cost.ok()) << cost.error().message;
    EXPECT_NEAR(cost->instance_hours, 6.0, 1e-6);

    AwsFleetOptions unpriced = cloud.fleet("job-43");
    unpriced.spot = false;
    unpriced.instance_types = {"c6i.4xlarge"};
    AwsProvider no_price(*cloud.client, cloud.clock, unpriced);
    ASSERT_TRUE(no_price.start_workers({.count = 1}).ok());
    cloud.clock.advance(1h);
    auto partial = no_price.cost_so_far();
    ASSERT_TRUE(partial.ok());
    EXPECT_EQ(partial->usd, 0.0);
    ASSERT_EQ(partial->notes.size(), 1u);
    EXPECT_EQ(partial->notes[0],
              "no on-demand price for c6i.4xlarge: 1.00 instance-hours not priced");
}

TEST(AwsProvider, RefusesABadFleetId) {
    Cloud cloud;
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job 42; rm"));
    EXPECT_TRUE(fails_mentioning(provider.list_workers(), "fleet id"));
    EXPECT_TRUE(fails_mentioning(provider.start_workers({.count = 1}), "fleet id"));
    EXPECT_TRUE(cloud.ec2.calls().empty());
}

TEST(AwsProvider, WorkerStates) {
    EXPECT_EQ(worker_state(InstanceState::pending), WorkerState::starting);
    EXPECT_EQ(worker_state(InstanceState::running), WorkerState::running);
    EXPECT_EQ(worker_state(InstanceState::shutting_down), WorkerState::stopping);
    EXPECT_EQ(worker_state(InstanceState::terminated), WorkerState::stopped);
    EXPECT_EQ(to_string(WorkerState::stopping), "stopping");
}

}  // namespace
}  // namespace spotfarm::providers::aws
