// The AWS provider's EC2 Fleet path against the EC2 stand-in over real HTTP: one launch template
// per fleet, instant fleets over every type x subnet spread over the pools that have room, the
// partial success used and each pool's error reported, on-demand for what Spot cannot place, an
// on-demand base, attribute-based selection, and the template deleted with the fleet.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "providers/aws/aws_provider.h"
#include "support/aws_model_check.h"
#include "support/expect_error.h"
#include "support/fake_ec2.h"
#include "support/recording_sleeper.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::testing::AwsModelCheck;
using spotfarm::testing::fails_mentioning;
using spotfarm::testing::FakeEc2;

struct FleetCloud {
    FleetCloud() : ec2({.region = "eu-west-1", .clock = &clock}), keys(ec2.credentials()) {
        client = Ec2Client::create({http, keys, clock, sleeper},
                                   {.region = "eu-west-1", .endpoint = ec2.endpoint()})
                     .value();
        ec2.add_subnet("subnet-a", "eu-west-1a");
        ec2.add_subnet("subnet-b", "eu-west-1b");
        ec2.add_subnet("subnet-c", "eu-west-1c");
    }

    AwsFleetOptions fleet(const std::string& id) const {
        AwsFleetOptions options;
        options.fleet_id = id;
        options.image_id = "ami-0fedcba9876543210";
        options.instance_types = {"c7i.4xlarge", "c6i.4xlarge"};
        options.subnet_ids = {"subnet-a", "subnet-b", "subnet-c"};
        options.security_group_ids = {"sg-0123abcd"};
        options.user_data = "#cloud-config\n";
        return options;
    }
    // Every request sent so far, checked against botocore's model.
    std::string wire_problems() const {
        const auto& model = AwsModelCheck::load_service("ec2");
        std::string text;
        for (const auto& call : ec2.calls())
            for (const auto& problem : model.check_query_request(call.params))
                text += call.action + ": " + problem + "\n";
        return text;
    }
    int calls_of(const std::string& action) const {
        int n = 0;
        for (const auto& call : ec2.calls()) n += call.action == action;
        return n;
    }

    util::FakeClock clock;
    FakeEc2 ec2;
    util::CurlHttpClient http;
    StaticCredentialsProvider keys;
    spotfarm::testing::RecordingSleeper sleeper;
    std::unique_ptr<Ec2Client> client;
};

std::map<std::pair<std::string, std::string>, int> pools_of(const StartResult& result) {
    std::map<std::pair<std::string, std::string>, int> pools;
    for (const auto& worker : result.started) ++pools[{worker.kind, worker.zone}];
    return pools;
}

TEST(AwsProviderFleet, OneTemplateAndAnInstantFleetOverEveryTypeAndSubnet) {
    FleetCloud cloud;
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    auto started = provider.start_workers({.count = 3, .tags = {{"spotfarm:job", "42"}}});
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_EQ(started->started.size(), 3u);
    EXPECT_TRUE(started->notes.empty());
    const WorkerInstance& worker = started->started[0];
    EXPECT_EQ(worker.state, WorkerState::starting);
    EXPECT_TRUE(worker.interruptible);
    EXPECT_EQ(worker.tags.at("spotfarm:fleet"), "job-42");
    EXPECT_EQ(worker.tags.at("spotfarm:job"), "42");
    EXPECT_EQ(worker.tags.at("Name"), "spotfarm-worker job-42");
    EXPECT_FALSE(worker.zone.empty());

    const auto instances = cloud.ec2.instances();
    ASSERT_EQ(instances.size(), 3u);
    EXPECT_EQ(instances[0].user_data, "#cloud-config\n");
    EXPECT_EQ(instances[0].launch_template, "spotfarm-job-42");
    EXPECT_EQ(cloud.ec2.launch_templates(), std::vector<std::string>{"spotfarm-job-42"});
    ASSERT_TRUE(provider.start_workers({.count = 1}).ok());
    EXPECT_EQ(cloud.calls_of("CreateLaunchTemplate"), 1) << "one template per fleet";
    EXPECT_EQ(cloud.calls_of("CreateFleet"), 2);
    EXPECT_EQ(cloud.calls_of("RunInstances"), 0);
    for (const auto& call : cloud.ec2.calls()) {
        if (call.action != "CreateFleet") continue;
        int overrides = 0;
        for (const auto& [key, value] : call.params) overrides += key.ends_with(".InstanceType");
        EXPECT_EQ(overrides, 6) << "2 types x 3 subnets";
    }
    EXPECT_EQ(cloud.wire_problems(), "");

    // The listing has what the fleet answer had: type and zone.
    auto listed = provider.list_workers();
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    for (const auto& w : *listed) {
        auto it = std::find_if(instances.begin(), instances.end(),
                               [&](const auto& i) { return i.id == w.id; });
        if (it == instances.end()) continue;
        EXPECT_EQ(w.zone, it->zone);
        EXPECT_EQ(w.kind, it->instance_type);
    }
}

TEST(AwsProviderFleet, PoolsSmallerThanTheFleetSpreadIt) {
    FleetCloud cloud;
    for (const char* type : {"c7i.4xlarge", "c6i.4xlarge"})
        for (const char* zone : {"eu-west-1a", "eu-west-1b", "eu-west-1c"})
            cloud.ec2.set_pool_capacity(type, zone, 3);
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    auto started = provider.start_workers({.count = 12});
    ASSERT_TRUE(started.ok()) << started.error().message;
    EXPECT_EQ(started->started.size(), 12u);
    const auto pools = pools_of(*started);
    EXPECT_GE(pools.size(), 3u);
    for (const auto& [pool, count] : pools) EXPECT_LE(count, 3) << pool.first << pool.second;
    for (const auto& worker : started->started) EXPECT_TRUE(worker.interruptible);
    EXPECT_TRUE(started->notes.empty());
}

TEST(AwsProviderFleet, PartialSuccessIsUsedAndEachPoolErrorIsOneLine) {
    FleetCloud cloud;
    cloud.ec2.set_pool_capacity("c7i.4xlarge", "eu-west-1a", 2);
    for (const char* zone : {"eu-west-1b", "eu-west-1c"})
        cloud.ec2.set_pool_capacity("c7i.4xlarge", zone, 0);
    for (const char* zone : {"eu-west-1a", "eu-west-1b", "eu-west-1c"})
        cloud.ec2.set_pool_capacity("c6i.4xlarge", zone, 0);
    AwsFleetOptions spot_only = cloud.fleet("job-42");
    spot_only.on_demand_fallback = false;
    AwsProvider provider(*cloud.client, cloud.clock, spot_only);
    auto started = provider.start_workers({.count = 4});
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_EQ(started->started.size(), 2u) << "what launched is used";
    EXPECT_EQ(started->started[0].kind, "c7i.4xlarge");
    EXPECT_EQ(started->started[0].zone, "eu-west-1a");
    ASSERT_EQ(started->notes.size(), 6u) << "one line per pool";
    const std::set<std::string> notes(started->notes.begin(), started->notes.end());
    EXPECT_TRUE(
        notes.count("no Spot capacity for c6i.4xlarge in eu-west-1b: "
                    "InsufficientInstanceCapacity (There is no Spot capacity available "
                    "that matches your request.)"))
        << started->notes[0];
    for (const auto& note : started->notes) EXPECT_EQ(note.find('\n'), std::string::npos);
    EXPECT_EQ(cloud.calls_of("CreateFleet"), 1) << "no on-demand asked for";

    cloud.ec2.set_pool_capacity("c7i.4xlarge", "eu-west-1a", 0);
    AwsProvider strict(*cloud.client, cloud.clock, spot_only);
    EXPECT_TRUE(fails_mentioning(strict.start_workers({.count = 1}),
                                 "EC2 started no worker; no Spot capacity for"));
}

TEST(AwsProviderFleet, OnDemandForWhatSpotCannotPlace) {
    FleetCloud cloud;
    cloud.ec2.set_pool_capacity("c7i.4xlarge", "eu-west-1a", 2);
    for (const char* zone : {"eu-west-1b", "eu-west-1c"})
        cloud.ec2.set_pool_capacity("c7i.4xlarge", zone, 0);
    for (const char* zone : {"eu-west-1a", "eu-west-1b", "eu-west-1c"})
        cloud.ec2.set_pool_capacity("c6i.4xlarge", zone, 0);
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    auto started = provider.start_workers({.count = 5, .request_id = "scale-1"});
    ASSERT_TRUE(started.ok()) << started.error().message;
    ASSERT_EQ(started->started.size(), 5u);
    int spot = 0;
    for (const auto& worker : started->started) spot += worker.interruptible;
    EXPECT_EQ(spot, 2);
    EXPECT_EQ(cloud.calls_of("CreateFleet"), 2);
    const auto last = cloud.ec2.calls().back();
    std::map<std::string, std::string> p(last.params.begin(), last.params.end());
    EXPECT_EQ(p.at("TargetCapacitySpecification.DefaultTargetCapacityType"), "on-demand");
    EXPECT_EQ(p.at("TargetCapacitySpecification.TotalTargetCapacity"), "3");

    // The same request id again: EC2 answers from its ClientTokens, nothing new starts.
    auto again = provider.start_workers({.count = 5, .request_id = "scale-1"});
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(cloud.ec2.instances().size(), 5u);
    EXPECT_EQ(cloud.wire_problems(), "");
}

TEST(AwsProviderFleet, RefusedSpotGoesOnDemandAndOnDemandBaseComesFirst) {
    FleetCloud cloud;
    AwsFleetOptions options = cloud.fleet("job-42");
    options.on_demand_base = 2;
    options.spot_allocation = SpotAllocation::capacity_optimized;
    AwsProvider provider(*cloud.client, cloud.clock, options);
    auto started = provider.start_workers({.count = 5});
    ASSERT_TRUE(started.ok()) << started.error().message;
    int on_demand = 0;
    for (const auto& worker : started->started) on_demand += !worker.interruptible;
    EXPECT_EQ(on_demand, 2);
    // The base is met: the next launch is all Spot.
    auto more = provider.start_workers({.count = 2});
    ASSERT_TRUE(more.ok()) << more.error().message;
    for (const auto& worker : more->started) EXPECT_TRUE(worker.interruptible);

    cloud.ec2.refuse_spot(400, "MaxSpotInstanceCountExceeded", "Max spot instance count exceeded");
    auto refused = provider.start_workers({.count = 1});
    ASSERT_TRUE(refused.ok()) << refused.error().message;
    EXPECT_FALSE(refused->started.at(0).interruptible);
    EXPECT_NE(refused->notes.at(0).find("MaxSpotInstanceCountExceeded"), std::string::npos);
    EXPECT_EQ(cloud.wire_problems(), "");
}

TEST(AwsProviderFleet, RequirementsLetEc2ChooseTheTypes) {
    FleetCloud cloud;
    AwsFleetOptions options = cloud.fleet("job-42");
    options.requirements = InstanceRequirements{
        .vcpus = {16, 32}, .memory_gib_per_vcpu_min = 2, .memory_mib_min = 16 * 2 * 1024};
    for (const auto& type : FakeEc2::default_catalog())
        for (const char* zone : {"eu-west-1a", "eu-west-1b", "eu-west-1c"})
            cloud.ec2.set_pool_capacity(type.name, zone, 1);
    AwsProvider provider(*cloud.client, cloud.clock, options);
    auto started = provider.start_workers({.count = 12});
    ASSERT_TRUE(started.ok()) << started.error().message;
    EXPECT_EQ(started->started.size(), 12u);
    std::set<std::string> types;
    for (const auto& worker : started->started) types.insert(worker.kind);
    // 16-32 vCPUs, at least 2 GiB each, no GPU, not burstable.
    for (const auto& type : types)
        EXPECT_TRUE(type == "c7i.4xlarge" || type == "c7i.8xlarge" || type == "c6i.4xlarge" ||
                    type == "c6a.4xlarge" || type == "m7i.4xlarge" || type == "m7i.8xlarge" ||
                    type == "r7i.4xlarge")
            << type;
    EXPECT_GE(types.size(), 4u);

    options.fleet_id = "job-43";
    options.requirements->gpus_min = 1;
    AwsProvider gpu(*cloud.client, cloud.clock, options);
    auto gpus = gpu.start_workers({.count = 2});
    ASSERT_TRUE(gpus.ok()) << gpus.error().message;
    for (const auto& worker : gpus->started)
        EXPECT_TRUE(worker.kind == "g5.4xlarge" || worker.kind == "g6.4xlarge") << worker.kind;
    EXPECT_EQ(cloud.wire_problems(), "");

    options.launch_api = LaunchApi::run_instances;
    AwsProvider old(*cloud.client, cloud.clock, options);
    EXPECT_TRUE(fails_mentioning(old.start_workers({.count = 1}), "need EC2 Fleet"));
}

TEST(AwsProviderFleet, ARequirementsFleetCostsWhatEachPoolCharged) {
    FleetCloud cloud;
    AwsFleetOptions options = cloud.fleet("job-42");
    options.requirements = InstanceRequirements{
        .vcpus = {16, 16}, .memory_gib_per_vcpu_min = 2, .memory_mib_min = 16 * 2 * 1024};
    options.subnet_ids = {"subnet-a", "subnet-b"};
    cloud.ec2.set_catalog({{"c7i.4xlarge", 16, 32 * 1024, 0, "", false},
                           {"c6i.4xlarge", 16, 32 * 1024, 0, "", false}});
    // Four pools of one instance each, each at a price of its own.
    const std::map<std::pair<std::string, std::string>, double> price = {
        {{"c7i.4xlarge", "eu-west-1a"}, 0.30},
        {{"c7i.4xlarge", "eu-west-1b"}, 0.20},
        {{"c6i.4xlarge", "eu-west-1a"}, 0.10},
        {{"c6i.4xlarge", "eu-west-1b"}, 0.40}};
    for (const auto& [pool, usd] : price) {
        cloud.ec2.set_pool_capacity(pool.first, pool.second, 1);
        cloud.ec2.set_spot_price(pool.first, pool.second, usd);
    }
    AwsProvider provider(*cloud.client, cloud.clock, options);
    auto started = provider.start_workers({.count = 4});
    ASSERT_TRUE(started.ok()) << started.error().message;
    EXPECT_EQ(pools_of(*started).size(), 4u);

    cloud.clock.advance(std::chrono::hours(2));
    auto cost = provider.cost_so_far();
    ASSERT_TRUE(cost.ok()) << cost.error().message;
    EXPECT_NEAR(cost->instance_hours, 8.0, 1e-6);
    EXPECT_NEAR(cost->usd, 2 * (0.30 + 0.20 + 0.10 + 0.40), 1e-6);
    EXPECT_TRUE(cost->notes.empty());
}

TEST(AwsProviderFleet, TheTemplateGoesWithTheFleet) {
    FleetCloud cloud;
    {
        AwsProvider first(*cloud.client, cloud.clock, cloud.fleet("job-42"));
        ASSERT_TRUE(first.start_workers({.count = 2}).ok());
    }
    // A restarted manager finds the template made and uses it.
    AwsProvider provider(*cloud.client, cloud.clock, cloud.fleet("job-42"));
    ASSERT_TRUE(provider.start_workers({.count = 1}).ok());
    EXPECT_EQ(cloud.ec2.instances().size(), 3u);
    ASSERT_TRUE(provider.stop_all().ok());
    EXPECT_TRUE(cloud.ec2.launch_templates().empty());
    for (const auto& instance : cloud.ec2.instances())
        EXPECT_EQ(instance.state, InstanceState::shutting_down) << instance.id;
    EXPECT_TRUE(provider.stop_all().ok()) << "a second stop finds nothing and is fine";
    // Work again after a stop: the template is made again.
    ASSERT_TRUE(provider.start_workers({.count = 1}).ok());
    EXPECT_EQ(cloud.ec2.launch_templates(), std::vector<std::string>{"spotfarm-job-42"});
    EXPECT_EQ(cloud.wire_problems(), "");
}

}  // namespace
}  // namespace spotfarm::providers::aws
