// The fleet controller driving the real AWS provider against the EC2 stand-in over HTTP: scale up,
// an interruption replaced, an instance that never registers terminated, and the whole fleet
// terminated once nothing has been queued for the grace period.
#include <algorithm>

#include <gtest/gtest.h>

#include "manager/fleet_controller.h"
#include "providers/aws/aws_provider.h"
#include "support/fake_ec2.h"
#include "support/recording_sleeper.h"

namespace spotfarm::manager {
namespace {

using namespace std::chrono_literals;
using providers::aws::InstanceState;

struct AwsFleet {
    AwsFleet() : ec2({.region = "eu-west-1", .clock = &clock}), keys(ec2.credentials()) {
        client =
            providers::aws::Ec2Client::create({http, keys, clock, sleeper},
                                              {.region = "eu-west-1", .endpoint = ec2.endpoint()})
                .value();
        providers::aws::AwsFleetOptions fleet;
        fleet.fleet_id = "render-1";
        fleet.image_id = "ami-0fedcba9876543210";
        fleet.instance_types = {"c7i.4xlarge"};
        fleet.user_data = "#cloud-config\n";
        provider = std::make_unique<providers::aws::AwsProvider>(*client, clock, fleet);
    }

    // Registered workers for the instances in `ids`.
    static FarmSnapshot farm(std::int64_t queued, std::int64_t active,
                             const std::vector<std::string>& ids, bool busy) {
        FarmSnapshot snapshot{queued, active, {}};
        for (const auto& id : ids) snapshot.workers.push_back({id, busy});
        return snapshot;
    }
    std::vector<std::string> in_state(InstanceState state) const {
        std::vector<std::string> ids;
        for (const auto& instance : ec2.instances())
            if (instance.state == state) ids.push_back(instance.id);
        return ids;
    }
    std::vector<std::string> live() const {
        std::vector<std::string> ids = in_state(InstanceState::pending);
        for (const auto& id : in_state(InstanceState::running)) ids.push_back(id);
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    util::FakeClock clock;
    spotfarm::testing::FakeEc2 ec2;
    util::CurlHttpClient http;
    providers::aws::StaticCredentialsProvider keys;
    spotfarm::testing::RecordingSleeper sleeper;
    std::unique_ptr<providers::aws::Ec2Client> client;
    std::unique_ptr<providers::aws::AwsProvider> provider;
};

TEST(FleetControllerAws, ScalesReplacesTimesOutAndTerminatesEverything) {
    AwsFleet aws;
    FleetControllerOptions options;
    options.bounds.max_workers = 3;
    options.bounds.frames_per_worker = 5;
    options.bounds.idle_grace = 5min;
    options.bounds.register_timeout = 10min;
    options.refresh_every = 0s;
    options.tags = {{"spotfarm:job", "1"}};
    options.price = [](const providers::WorkerInstance& i) -> std::optional<double> {
        return i.interruptible ? 0.25 : 0.7;
    };
    FleetController controller(*aws.provider, aws.clock, options);

    // 40 frames, 5 per worker, at most 3.
    auto report = controller.tick(aws.clock.now(), AwsFleet::farm(40, 0, {}, false));
    ASSERT_TRUE(report.errors.empty()) << report.errors[0];
    ASSERT_EQ(report.started.size(), 3u);
    ASSERT_EQ(aws.ec2.instances().size(), 3u);
    for (const auto& instance : aws.ec2.instances()) {
        EXPECT_TRUE(instance.spot);
        EXPECT_NE(std::find(instance.tags.begin(), instance.tags.end(),
                            providers::aws::Tag{"spotfarm:job", "1"}),
                  instance.tags.end());
    }
    std::vector<std::string> workers = aws.live();

    aws.clock.advance(2min);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(25, 15, workers, true));
    EXPECT_TRUE(report.started.empty());
    EXPECT_TRUE(report.stopped.empty());

    // AWS takes one back.
    const std::string taken = workers[1];
    aws.ec2.set_state(taken, InstanceState::terminated);
    workers.erase(workers.begin() + 1);
    aws.clock.advance(1min);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(30, 10, workers, true));
    ASSERT_TRUE(report.errors.empty()) << report.errors[0];
    EXPECT_EQ(report.interrupted, std::vector<std::string>{taken});
    ASSERT_EQ(report.started.size(), 1u);
    const std::string replacement = report.started[0];
    EXPECT_EQ(aws.live().size(), 3u);

    // The replacement's worker never registers: terminated after the timeout, and replaced.
    aws.clock.advance(9min);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(20, 10, workers, true));
    EXPECT_TRUE(report.stopped.empty());
    aws.clock.advance(1min);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(20, 10, workers, true));
    ASSERT_TRUE(report.errors.empty()) << report.errors[0];
    EXPECT_EQ(report.stopped, std::vector<std::string>{replacement});
    ASSERT_EQ(report.started.size(), 1u);
    workers.push_back(report.started[0]);
    const auto gone = aws.in_state(InstanceState::shutting_down);
    EXPECT_NE(std::find(gone.begin(), gone.end(), replacement), gone.end());

    // The work is done; the fleet stays for the grace, then every instance is terminated.
    aws.clock.advance(20min);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(0, 0, workers, false));
    EXPECT_TRUE(report.stopped.empty());
    EXPECT_EQ(aws.live().size(), 3u);
    aws.clock.advance(5min);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(0, 0, workers, false));
    ASSERT_TRUE(report.errors.empty()) << report.errors[0];
    EXPECT_EQ(report.stopped.size(), 3u);
    report = controller.tick(aws.clock.now(), AwsFleet::farm(0, 0, {}, false));
    EXPECT_TRUE(report.started.empty());
    EXPECT_TRUE(aws.live().empty());
    EXPECT_EQ(aws.ec2.instances().size(), 5u);
    EXPECT_EQ(aws.ec2.refused_signatures(), 0);

    // Spot at 0.25 USD an hour: 2 instances for 38 min, 1 for 3 min, 1 for 10 min, 1 for 25 min.
    const FleetCost cost = controller.cost();
    const double hours = (2 * 38 + 3 + 10 + 25) / 60.0;
    EXPECT_NEAR(cost.instance_hours, hours, 1e-6);
    EXPECT_NEAR(cost.usd, hours * 0.25, 1e-6);
}

}  // namespace
}  // namespace spotfarm::manager
